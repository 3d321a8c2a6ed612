#ifndef STEVEDORE_CARCHIVE_SHIM_H
#define STEVEDORE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
