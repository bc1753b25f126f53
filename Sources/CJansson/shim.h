#ifndef SCHOLIA_CJANSSON_SHIM_H
#define SCHOLIA_CJANSSON_SHIM_H
#include <jansson.h>

/* Function-like macros do not cross into Swift; these inline wrappers do. */
static inline json_type scholia_json_typeof(const json_t *json) { return json_typeof(json); }
static inline void scholia_json_decref(json_t *json) { json_decref(json); }
static inline json_t *scholia_json_incref(json_t *json) { return json_incref(json); }
static inline enum json_error_code scholia_json_error_code(const json_error_t *e) { return json_error_code(e); }
static inline size_t scholia_json_indent_flag(int spaces) { return JSON_INDENT(spaces); }
static inline size_t scholia_json_real_precision_flag(int digits) { return JSON_REAL_PRECISION(digits); }
/* The reference count is read only by tests that prove counts balance. */
static inline size_t scholia_json_refcount(const json_t *json) { return json ? json->refcount : 0; }
#endif
