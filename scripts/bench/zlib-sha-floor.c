/*
 * Benchmark harness (not product code): the floor of h1: hashing in C on one thread.
 *
 * Reads a file of pre-extracted zip entries (written by scripts/bench-hash.sh: per entry a
 * 24-byte little-endian header {u32 method, u64 compressed size, u64 uncompressed size,
 * u32 crc} then the compressed bytes), and times, best of RUNS passes over it in memory:
 * zlib raw inflate (256 KiB output buffer), zlib crc32, OpenSSL SHA-256 (SHA-NI where the
 * CPU has it) of every entry. No zip parsing, no summary, no I/O: what is left when all
 * overhead is gone. Prints JSON: {"bestSeconds":S,"bytes":N}.
 *
 *   cc -O2 -o floor zlib-sha-floor.c -lz -lcrypto && ./floor ENTRIES.bin RUNS
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static unsigned char out[256 * 1024];

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: floor ENTRIES.bin RUNS\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? n : 1);
    if (!buf || fread(buf, 1, n, f) != (size_t)n) { fprintf(stderr, "read failed\n"); return 1; }
    int runs = atoi(argv[2]);
    double best = 1e30;
    unsigned long long total = 0;
    EVP_MD_CTX *sha = EVP_MD_CTX_new();
    for (int r = 0; r < runs; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        long p = 0;
        total = 0;
        while (p + 24 <= n) {
            uint32_t method, crc;
            uint64_t csize, usize;
            memcpy(&method, buf + p, 4);
            memcpy(&csize, buf + p + 4, 8);
            memcpy(&usize, buf + p + 12, 8);
            memcpy(&crc, buf + p + 20, 4);
            p += 24;
            if (csize > (uint64_t)(n - p)) { fprintf(stderr, "bad entry file\n"); return 1; }
            EVP_DigestInit_ex(sha, EVP_sha256(), NULL);
            uLong c = crc32(0, Z_NULL, 0);
            if (method == 8) {
                z_stream s;
                memset(&s, 0, sizeof s);
                if (inflateInit2(&s, -15) != Z_OK) return 1;
                s.next_in = buf + p;
                s.avail_in = (uInt)csize;
                int ret;
                do {
                    s.next_out = out;
                    s.avail_out = sizeof out;
                    ret = inflate(&s, Z_NO_FLUSH);
                    size_t got = sizeof out - s.avail_out;
                    total += got;
                    c = crc32(c, out, (uInt)got);
                    EVP_DigestUpdate(sha, out, got);
                } while (ret == Z_OK);
                inflateEnd(&s);
                if (ret != Z_STREAM_END) { fprintf(stderr, "inflate failed\n"); return 1; }
            } else {
                c = crc32(c, buf + p, (uInt)csize);
                EVP_DigestUpdate(sha, buf + p, csize);
                total += csize;
            }
            unsigned char digest[32];
            EVP_DigestFinal_ex(sha, digest, NULL);
            if (c != crc) { fprintf(stderr, "crc mismatch\n"); return 1; }
            p += csize;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (s < best) best = s;
    }
    printf("{\"bestSeconds\":%.6f,\"bytes\":%llu}\n", best, total);
    return 0;
}
