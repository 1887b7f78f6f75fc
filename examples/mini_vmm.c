// SPDX-License-Identifier: MIT
/*
 * A small VMM on the native API alone (include/kvmkit/kvmkit.h): it loads
 * a flat binary into guest memory and runs it on two vCPUs, each on its
 * own thread with its own run loop, serving
 *   - a 16550 serial port at 0x3f8 (port handler): what the guest writes
 *     to THR goes to stdout, LSR always says the transmitter is empty;
 *   - a device page at DEV_GPA (MMIO handler): +0 an ID ("kvmk"), +4 the
 *     number of the vCPU that reads it, +8 power off (any write); 32-bit
 *     reads only, the rest reads 0.
 * Boot protocol: 16-bit real mode, CS:IP = 0x100:0 (the image at
 * LOAD_GPA), SS:SP = 0:0x1000 - 0x200 * n on vCPU n.  The VM stops, both
 * vCPUs kicked out of KVM_RUN, when one halts or writes power off.
 *
 *	make build/examples/mini_vmm && build/examples/mini_vmm [guest.bin]
 *
 * Without an argument it runs its own guest (examples/mini_vmm_guest.S,
 * built beside it as mini_vmm_guest.bin) and checks the exact transcript,
 * as make check-examples does.  Exit status: 0 when the guest powered off
 * or halted (and, without an argument, said what it should), 77 without
 * /dev/kvm, 1 on any other error, each told in one line on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <kvmkit/kvmkit.h>

#define NVCPUS		2
#define RAM_SIZE	0x10000
#define LOAD_GPA	0x1000			/* the image: up to RAM_SIZE */
#define DEV_GPA		0x10000			/* right above RAM */
#define DEV_ID		0x6b6d766bu		/* "kvmk" in memory order */
#define COM1		0x3f8
#define KICK_SIGNAL	SIGUSR1
#define TIMEOUT_NS	20000000000ull		/* a guest that never stops */
#define EXPECTED	"Hello from vCPU 0\nHello from vCPU 1\ndevice kvmk\n"

struct machine {
	pthread_mutex_t lock;		/* the UART: both vCPUs write */
	uint8_t uart[8];		/* registers as written: LCR, SCR... */
	char out[256];			/* the transcript, for the self-check */
	size_t len;
	int stopping;			/* a vCPU ended: stop the others (atomic) */
	struct vcpu {
		struct machine *m;
		struct kvmkit_vcpu *vcpu;
		pthread_t thread;
		int status;		/* 0: halted or powered off */
	} cpu[NVCPUS];
	pthread_barrier_t ready;	/* every thread exists before any kick */
};

/* THR (DLAB 0) to stdout; LSR: empty; the rest reads back what was written */
static int uart_io(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io, void *opaque)
{
	struct machine *m = opaque;
	uint32_t i;

	(void)vcpu;
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < io->count * io->size; i++) {	/* OUTSB, OUTW: bytewise */
		uint8_t *b = &io->data[i], reg = (uint8_t)(io->offset + i % io->size);
		int thr = reg == 0 && !(m->uart[3] & 0x80);

		if (reg > 7) {			/* a wide access past the UART */
			if (!io->is_write)
				*b = 0xff;
		} else if (io->is_write && thr) {
			putchar(*b);
			if (m->len < sizeof(m->out) - 1)	/* the transcript, capped */
				m->out[m->len++] = (char)*b;
		} else if (io->is_write) {
			m->uart[reg] = *b;
		} else {
			*b = reg == 5 ? 0x60 : reg == 2 ? 0x01 : thr ? 0 : m->uart[reg];
		}
	}
	pthread_mutex_unlock(&m->lock);
	return KVMKIT_RESUME;
}

static int dev_mmio(struct kvmkit_vcpu *vcpu, const struct kvmkit_io *io, void *opaque)
{
	uint32_t v = 0;

	(void)opaque;
	if (io->offset == 8 && io->is_write)
		return KVMKIT_STOP;			/* power off */
	if (io->is_write || io->size != 4)
		return KVMKIT_UNHANDLED;		/* read-only, 32-bit */
	if (io->offset == 0)
		v = DEV_ID;
	else if (io->offset == 4)
		v = kvmkit_vcpu_id(vcpu);
	memcpy(io->data, &v, 4);
	return KVMKIT_RESUME;
}

static void on_kick(int sig)
{
	(void)sig;
}

/* One vCPU's thread: its run loop until it stops, or another one did */
static void *run_vcpu(void *arg)
{
	struct vcpu *c = arg;
	struct machine *m = c->m;
	struct kvmkit_exit e = { .type = KVMKIT_EXIT_UNKNOWN };
	char desc[160];
	int ret, i;

	pthread_barrier_wait(&m->ready);
	ret = kvmkit_vcpu_set_timeout(c->vcpu, TIMEOUT_NS);
	while (!ret && (ret = kvmkit_vcpu_run_loop(c->vcpu, NULL, &e)) == KVMKIT_UNHANDLED &&
	       e.type == KVMKIT_EXIT_INTERRUPTED && !__atomic_load_n(&m->stopping, __ATOMIC_SEQ_CST))
		;
	if (ret < 0)
		fprintf(stderr, "mini_vmm: vCPU %u: %s\n", kvmkit_vcpu_id(c->vcpu),
			kvmkit_vcpu_error(c->vcpu));
	c->status = ret < 0 ? 1 : ret == KVMKIT_STOP || e.type == KVMKIT_EXIT_HLT ||
		    (e.type == KVMKIT_EXIT_INTERRUPTED &&
		     __atomic_load_n(&m->stopping, __ATOMIC_SEQ_CST)) ? 0 : 1;
	if (ret >= 0 && c->status) {
		kvmkit_exit_describe(&e, desc, sizeof(desc));
		fprintf(stderr, "mini_vmm: vCPU %u: unexpected exit: %s\n",
			kvmkit_vcpu_id(c->vcpu), desc);
	}
	if (!__atomic_exchange_n(&m->stopping, 1, __ATOMIC_SEQ_CST))
		for (i = 0; i < NVCPUS; i++)	/* the first to end stops the rest */
			if (&m->cpu[i] != c)
				kvmkit_vcpu_kick(m->cpu[i].vcpu, m->cpu[i].thread, KICK_SIGNAL);
	return NULL;
}

/* The image, 1 to RAM_SIZE - LOAD_GPA bytes, at LOAD_GPA; 0 or an error line */
static int load(struct kvmkit_vm *vm, const char *path)
{
	static char image[RAM_SIZE - LOAD_GPA];
	struct stat st;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY), ok = 0;

	if (fd < 0 || fstat(fd, &st))
		fprintf(stderr, "mini_vmm: %s: %s\n", path, strerror(errno));
	else if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > (off_t)sizeof(image))
		fprintf(stderr, "mini_vmm: %s: %s (a flat binary of 1 to %zu bytes)\n", path,
			!S_ISREG(st.st_mode) ? "not a regular file" : st.st_size ? "too large" : "empty file",
			sizeof(image));
	else if ((n = read(fd, image, sizeof(image))) != st.st_size)
		fprintf(stderr, "mini_vmm: %s: %s\n", path, n < 0 ? strerror(errno) : "short read");
	else if (kvmkit_vm_write(vm, LOAD_GPA, image, (size_t)n))
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_vm_error(vm));
	else
		ok = 1;
	if (fd >= 0)
		close(fd);
	return !ok;
}

/* vCPU n in real mode at 0x100:0, its stack its own */
static int boot(struct kvmkit_vcpu *vcpu)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_regs regs = { .rip = 0, .rflags = 0x2,
				 .rsp = LOAD_GPA - 0x200 * kvmkit_vcpu_id(vcpu) };
	struct kvm_sregs sregs;

	if (kvmkit_vcpu_get_sregs(vcpu, &sregs))
		return 1;
	sregs.cs.selector = LOAD_GPA >> 4;
	sregs.cs.base = LOAD_GPA;
	sregs.ss.selector = sregs.ds.selector = sregs.es.selector = 0;
	sregs.ss.base = sregs.ds.base = sregs.es.base = 0;
	return kvmkit_vcpu_set_sregs(vcpu, &sregs) || kvmkit_vcpu_set_regs(vcpu, &regs) ||
	       kvmkit_vcpu_set_mp_state(vcpu, &mp);
}

int main(int argc, char **argv)
{
	static struct machine m = { .lock = PTHREAD_MUTEX_INITIALIZER };
	char self[4096], err[KVMKIT_ERR_MAX], path[4200];
	struct sigaction sa = { .sa_handler = on_kick };
	struct kvmkit_kvm *kvm;
	struct kvmkit_vm *vm;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	unsigned int i, made = 0, started = 0;
	int ret = kvmkit_kvm_open(&kvm, NULL, err, sizeof(err)), status = 1;

	if (argc > 2) {
		fprintf(stderr, "usage: mini_vmm [FLAT-BINARY]\n");
		return 1;
	}
	if (ret) {
		fprintf(stderr, "mini_vmm: %s\n", err);
		return ret == -ENOENT || ret == -EACCES || ret == -ENXIO ? 77 : 1;
	}
	self[len > 0 ? len : 0] = '\0';
	snprintf(path, sizeof(path), "%s/mini_vmm_guest.bin", dirname(self));
	sigaction(KICK_SIGNAL, &sa, NULL);
	if (kvmkit_vm_create(kvm, &vm)) {
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_kvm_error(kvm));
		goto out_kvm;
	}
	if (kvmkit_vm_add_memory(vm, 0, 0, RAM_SIZE, 0, NULL) ||
	    kvmkit_vm_add_pio_handler(vm, COM1, 8, uart_io, &m) ||
	    kvmkit_vm_add_mmio_handler(vm, DEV_GPA, 0x1000, dev_mmio, NULL)) {
		fprintf(stderr, "mini_vmm: %s\n", kvmkit_vm_error(vm));
		goto out;
	}
	if (load(vm, argc > 1 ? argv[1] : path))
		goto out;
	for (; made < NVCPUS; made++) {
		m.cpu[made].m = &m;
		if (kvmkit_vcpu_create(vm, made, &m.cpu[made].vcpu)) {
			fprintf(stderr, "mini_vmm: %s\n", kvmkit_vm_error(vm));
			goto out;
		}
		if (boot(m.cpu[made].vcpu)) {
			fprintf(stderr, "mini_vmm: %s\n", kvmkit_vcpu_error(m.cpu[made].vcpu));
			goto out;
		}
	}
	pthread_barrier_init(&m.ready, NULL, NVCPUS + 1);
	for (; started < NVCPUS; started++)
		if ((errno = pthread_create(&m.cpu[started].thread, NULL, run_vcpu, &m.cpu[started])))
			break;
	if (started < NVCPUS) {
		/* the barrier would never open: those started are stuck on it */
		fprintf(stderr, "mini_vmm: pthread_create: %s\n", strerror(errno));
		fflush(stderr);
		_exit(1);
	}
	pthread_barrier_wait(&m.ready);
	for (i = 0, status = 0; i < NVCPUS; i++) {
		pthread_join(m.cpu[i].thread, NULL);
		status |= m.cpu[i].status;
	}
	pthread_barrier_destroy(&m.ready);
	fflush(stdout);
	if (!status && argc == 1 && strcmp(m.out, EXPECTED)) {
		fprintf(stderr, "mini_vmm: the guest said %zu bytes, not the %zu expected\n",
			m.len, strlen(EXPECTED));
		status = 1;
	}
out:
	kvmkit_vm_destroy(vm);
out_kvm:
	kvmkit_kvm_close(kvm);
	return status;
}
