#ifndef STEVEDORE_CZSTD_SHIM_H
#define STEVEDORE_CZSTD_SHIM_H
#include <zstd.h>
#endif
