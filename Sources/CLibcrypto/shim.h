#ifndef STEVEDORE_CLIBCRYPTO_SHIM_H
#define STEVEDORE_CLIBCRYPTO_SHIM_H
// Debian's libcrypto (libssl-dev): SHA-256 and SHA-512 through OpenSSL's EVP interface, which picks the SHA-NI,
// AVX2 or AVX-512 code for the CPU. Only functions are used; OpenSSL 3's function-like macros do not import.
#include <openssl/evp.h>
#endif
