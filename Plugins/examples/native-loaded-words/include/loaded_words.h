/* The module's only export is scholia_module_entry (scholia_module.h); this header exists because
 * SwiftPM wants a public headers folder for a C target. */
#include "scholia_module.h"
