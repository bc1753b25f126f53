/* SwiftPM builds a C target only from sources; the ABI itself is the header. */
#include "scholia_module.h"

uint32_t scholia_module_host_abi_version(void) { return SCHOLIA_MODULE_ABI_VERSION; }
