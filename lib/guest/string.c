// SPDX-License-Identifier: MIT
/*
 * The C library's string functions for the guest.  The compiler emits
 * calls to memset/memcpy/memmove/memcmp on its own (struct copies and
 * initialisers), so these must exist even in a freestanding payload.
 *
 * The memory functions use the string instructions: a byte loop here
 * could be recognised by the optimiser and turned back into a call to
 * the very function being defined.  They move whole words where they can
 * because the hosts we run on may emulate the guest one instruction (and
 * one string iteration) at a time: a word per step is 4 or 8 times faster.
 */
#include "kvm_guest.h"

/*
 * One machine word per string step: quadwords in 64-bit mode, doublewords
 * in a 32-bit payload (KVMKIT_GUEST_MODE(32)).  The register operands are
 * pointer- or size_t-sized, so the compiler names %rdi or %edi itself.
 */
#ifdef __x86_64__
# define WORD_SUFFIX	"q"
#else
# define WORD_SUFFIX	"l"
#endif
#define WORD		sizeof(unsigned long)

void *memset(void *dest, int val, size_t size)
{
	unsigned long pattern = (unsigned long)0x0101010101010101ULL *
				(unsigned char)val;
	size_t words = size / WORD, tail = size % WORD;
	void *d = dest;

	asm volatile("rep stos" WORD_SUFFIX "\n\t"
		     "mov %[tail], %[cnt]\n\t"
		     "rep stosb"
		     : "+D"(d), [cnt] "+c"(words)
		     : "a"(pattern), [tail] "r"(tail)
		     : "memory");
	return dest;
}

void *memzero(void *dest, size_t size)
{
	return memset(dest, 0, size);
}

void *memcpy(void *dest, const void *src, size_t size)
{
	size_t words = size / WORD, tail = size % WORD;
	void *d = dest;

	asm volatile("rep movs" WORD_SUFFIX "\n\t"
		     "mov %[tail], %[cnt]\n\t"
		     "rep movsb"
		     : "+D"(d), "+S"(src), [cnt] "+c"(words)
		     : [tail] "r"(tail)
		     : "memory");
	return dest;
}

void *memmove(void *dest, const void *src, size_t size)
{
	size_t words = size / WORD, tail = size % WORD;
	char *d = dest;
	const char *s = src;

	if (d <= s || d >= s + size)
		return memcpy(dest, src, size);

	/*
	 * Overlap with dest above src: copy backwards, the odd tail bytes
	 * at the end first, then the words below them.
	 */
	d += size - 1;
	s += size - 1;
	asm volatile("std\n\t"
		     "rep movsb\n\t"
		     "sub %[back], %[s]\n\t"
		     "sub %[back], %[d]\n\t"
		     "mov %[words], %[cnt]\n\t"
		     "rep movs" WORD_SUFFIX "\n\t"
		     "cld"
		     : [d] "+D"(d), [s] "+S"(s), [cnt] "+c"(tail)
		     : [words] "r"(words), [back] "i"(WORD - 1)
		     : "memory", "cc");
	return dest;
}

int memcmp(const void *a, const void *b, size_t size)
{
	const unsigned char *pa = a, *pb = b;

	for (; size; size--, pa++, pb++) {
		if (*pa != *pb)
			return *pa - *pb;
	}
	return 0;
}

size_t strlen(const char *str)
{
	size_t len = 0;

	while (str[len])
		len++;
	return len;
}

size_t strnlen(const char *str, size_t maxlen)
{
	size_t len = 0;

	while (len < maxlen && str[len])
		len++;
	return len;
}

char *strcpy(char *dest, const char *src)
{
	char *d = dest;

	while ((*d++ = *src++))
		;
	return dest;
}

char *strcat(char *dest, const char *src)
{
	strcpy(dest + strlen(dest), src);
	return dest;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *found = NULL;

	for (;; s++) {
		if (*s == (char)c)
			found = s;
		if (!*s)
			return (char *)found;
	}
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;

	for (; n; n--, pa++, pb++) {
		if (*pa != *pb)
			return *pa - *pb;
		if (!*pa)
			break;
	}
	return 0;
}
