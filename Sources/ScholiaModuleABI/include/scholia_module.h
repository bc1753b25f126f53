/*
 * scholia_module.h — the C ABI of Scholia's native annotator modules.
 *
 * A native module is a shared library that exports one function, `scholia_module_entry`, returning a
 * table of function pointers. Scholia loads it with dlopen (RTLD_NOW | RTLD_LOCAL), calls the entry
 * once, and refuses the module unless `abi_version` equals the version it was built for.
 *
 * Everything crosses the boundary as UTF-8 JSON text, NUL-terminated: no struct layouts beyond this
 * table, no allocator shared with Scholia, and any JSON library (or none) on the module's side.
 *
 *   describe()            -> {"name": "...", "version": "...", "description": "...",
 *                             "kinds": [{"kind": "loaded", "severity": "warning", "tokenType": "loaded"}],
 *                             "languages": ["en", "ar"]}
 *                            Owned by the module and never freed by Scholia (a static string is fine).
 *                            The manifest (module.json) is authoritative; a describe() whose name
 *                            differs from the manifest's is refused.
 *   annotate(request)     request: {"text": "...", "language": "en"}
 *                         -> {"annotations": [{"kind": "loaded", "start": 4, "end": 12,
 *                                              "attributes": {...}, "id": "a1",
 *                                              "links": [{"rel": "...", "target": "a2"}]}]}
 *                            or {"error": "message"} (the module's output is dropped for this call).
 *                            Offsets are UTF-8 byte offsets into `text`, end exclusive. Returning NULL
 *                            counts as a failure. The result is handed back to free_result.
 *   free_result(result)   frees what annotate returned (so malloc/free pairs stay in one library).
 *
 * Native modules are trusted, in-process code: a crash in one takes the server down with it, and a
 * call cannot be timed out. Scholia calls annotate from one thread at a time. Prefer a process module
 * (module.json "command") for code you do not control.
 */
#ifndef SCHOLIA_MODULE_H
#define SCHOLIA_MODULE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCHOLIA_MODULE_ABI_VERSION 1

typedef struct {
    /* Always SCHOLIA_MODULE_ABI_VERSION for this layout; read before anything else. */
    uint32_t abi_version;
    const char *(*describe)(void);
    char *(*annotate)(const char *request_json);
    void (*free_result)(char *result_json);
} scholia_module_v1;

/* The one exported symbol. Returns a table that stays valid while the library is loaded. */
const scholia_module_v1 *scholia_module_entry(void);

typedef const scholia_module_v1 *(*scholia_module_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* SCHOLIA_MODULE_H */
