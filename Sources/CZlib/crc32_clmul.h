#ifndef GOMODKIT_CZLIB_CRC32_CLMUL_H
#define GOMODKIT_CZLIB_CRC32_CLMUL_H
/*
 * CRC-32 (IEEE 802.3, reflected, as zip and zlib's crc32() compute it) by carry-less
 * multiplication folding: Intel's "Fast CRC Computation for Generic Polynomials Using
 * PCLMULQDQ Instruction" (Gopal et al., 2009), bit-reflected variant.
 *
 * zlib 1.2.13's crc32() is table driven (about 3 GB/s here); hashing a module zip computes a
 * CRC over every inflated byte, so GoModKit folds 64 bytes per step with PCLMULQDQ when the
 * CPU has it. czlib_crc32_clmul() continues a *raw* (not pre/post-inverted) CRC over a length
 * that is a multiple of 16 and at least 64; the Swift caller (CRC32.swift) handles inversion,
 * the remainder (with zlib's crc32()) and CPU detection (czlib_cpu_has_clmul()).
 * The constants are the reflected fold multipliers x^(4*128+32), x^(4*128-32), x^(128+32),
 * x^(128-32), x^64 mod P(x) and the Barrett constants for P(x) = 0x104C11DB7.
 */
#include <stdint.h>
#include <stddef.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

/* Whether the CPU has PCLMULQDQ and SSE4.1 (CPUID leaf 1, ECX bits 1 and 19). */
static inline int czlib_cpu_has_clmul(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & (1u << 1)) != 0 && (ecx & (1u << 19)) != 0;
}

__attribute__((target("pclmul,sse4.1")))
static inline uint32_t czlib_crc32_clmul(uint32_t crc, const unsigned char *p, size_t n) {
    const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
    const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
    const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124LL);
    const __m128i barrett = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);
    const __m128i low32 = _mm_setr_epi32(-1, 0, -1, 0);

    __m128i a = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(p + 0)), _mm_cvtsi32_si128((int)crc));
    __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(p + 48));
    p += 64;
    n -= 64;
    /* Fold four 128-bit lanes forward by 512 bits per step. */
    while (n >= 64) {
        __m128i ah = _mm_clmulepi64_si128(a, k1k2, 0x11), al = _mm_clmulepi64_si128(a, k1k2, 0x00);
        __m128i bh = _mm_clmulepi64_si128(b, k1k2, 0x11), bl = _mm_clmulepi64_si128(b, k1k2, 0x00);
        __m128i ch = _mm_clmulepi64_si128(c, k1k2, 0x11), cl = _mm_clmulepi64_si128(c, k1k2, 0x00);
        __m128i dh = _mm_clmulepi64_si128(d, k1k2, 0x11), dl = _mm_clmulepi64_si128(d, k1k2, 0x00);
        a = _mm_xor_si128(_mm_xor_si128(ah, al), _mm_loadu_si128((const __m128i *)(p + 0)));
        b = _mm_xor_si128(_mm_xor_si128(bh, bl), _mm_loadu_si128((const __m128i *)(p + 16)));
        c = _mm_xor_si128(_mm_xor_si128(ch, cl), _mm_loadu_si128((const __m128i *)(p + 32)));
        d = _mm_xor_si128(_mm_xor_si128(dh, dl), _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    /* Fold the four lanes into one, then the remaining 16-byte blocks. */
    __m128i x = a;
    x = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k3k4, 0x11), _mm_clmulepi64_si128(x, k3k4, 0x00)), b);
    x = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k3k4, 0x11), _mm_clmulepi64_si128(x, k3k4, 0x00)), c);
    x = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k3k4, 0x11), _mm_clmulepi64_si128(x, k3k4, 0x00)), d);
    while (n >= 16) {
        x = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k3k4, 0x11), _mm_clmulepi64_si128(x, k3k4, 0x00)),
                          _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    /* 128 -> 64 bits. */
    __m128i t = _mm_clmulepi64_si128(x, k3k4, 0x10);
    x = _mm_xor_si128(_mm_srli_si128(x, 8), t);
    /* 64 -> 32 bits. */
    t = _mm_srli_si128(x, 4);
    x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, low32), k5, 0x00), t);
    /* Barrett reduction to the 32-bit remainder. */
    t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), barrett, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
    x = _mm_xor_si128(x, t);
    return (uint32_t)_mm_extract_epi32(x, 1);
}
#else
static inline int czlib_cpu_has_clmul(void) { return 0; }
static inline uint32_t czlib_crc32_clmul(uint32_t crc, const unsigned char *p, size_t n) {
    (void)p; (void)n; return crc;
}
#endif
#endif
