/* A native module built for an ABI version Scholia does not speak (tests). */
#include <stdint.h>
#include <stddef.h>

typedef struct { uint32_t abi_version; void *describe; void *annotate; void *free_result; } future_table;
static const future_table table = {2, NULL, NULL, NULL};
const future_table *scholia_module_entry(void) { return &table; }
