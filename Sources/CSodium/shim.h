#ifndef NEX_CSODIUM_SHIM_H
#define NEX_CSODIUM_SHIM_H
#include <sodium.h>
#endif
