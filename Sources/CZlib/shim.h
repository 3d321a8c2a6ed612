#ifndef STEVEDORE_CZLIB_SHIM_H
#define STEVEDORE_CZLIB_SHIM_H
#include <zlib.h>
#endif
