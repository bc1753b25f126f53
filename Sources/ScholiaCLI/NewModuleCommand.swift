import ArgumentParser
import Foundation

/// `scholia new-module NAME --type rules|process|native`: writes a working module folder with a
/// test (`scholia test-module NAME` passes on it as written), to grow from.
struct NewModuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-module",
        abstract: "Write the skeleton of a custom module (module.json, the code or rule pack, a test, a README).")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case rules, process, native
    }

    @Argument(help: "The module's name: lowercase letters, digits, '-' or '_', starting with a letter.")
    var name: String

    @Option(name: .customLong("type"), help: "rules (a rule pack), process (a Python program over stdio) or native (a C shared library).")
    var kind: Kind = .rules

    @Option(name: .customLong("directory"), help: "Where to create the module's folder.")
    var directory: String = "."

    func validate() throws {
        guard name.first.map({ ("a"..."z").contains($0) }) == true,
              name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else { throw ValidationError("module name '\(name)': use lowercase letters, digits, '-' or '_', starting with a letter") }
    }

    func run() throws {
        let folder = ModuleOptions.absolute(directory) + "/" + name
        guard !FileManager.default.fileExists(atPath: folder) else {
            reportError("\(folder) already exists")
            throw ExitCode(1)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = ModuleTemplates.files(name: name, kind: kind)
        for (file, contents) in files {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: folder + "/" + file))
        }
        if kind == .process {
            _ = chmod(folder + "/\(ModuleTemplates.identifier(name)).py", 0o755)
        }
        print("created \(folder): \(files.map(\.0).joined(separator: ", "))")
        switch kind {
        case .rules, .process:
            print("try it: scholia test-module \(folder)")
        case .native:
            print("build it: make -C \(folder); then: scholia test-module \(folder)")
        }
    }
}

/// The files of each kind of skeleton. Each marks "allegedly" and "reportedly" as `flag` so its
/// test has something to find.
enum ModuleTemplates {
    /// The name as a C or Python identifier.
    static func identifier(_ name: String) -> String {
        name.replacingOccurrences(of: "-", with: "_")
    }

    static func files(name: String, kind: NewModuleCommand.Kind) -> [(String, String)] {
        let id = identifier(name)
        let tests = """
              "tests": [
                {"text": "The plan was allegedly approved.", "language": "en", "expect": [{"text": "allegedly", "kind": "flag"}]},
                {"text": "The plan was approved.", "language": "en", "reject": ["approved"]}
              ]
            """
        func manifest(_ runner: String, withTests: Bool) -> String {
            """
            {
              "name": "\(name)",
              "version": "0.1.0",
              "description": "TODO: what this module marks",
              "kinds": [{"kind": "flag", "severity": "information", "tokenType": "flag"}],
              "languages": ["en"],
              \(runner)\(withTests ? ",\n" + tests : "")
            }

            """
        }
        switch kind {
        case .rules:
            return [
                ("module.json", manifest(#""rules": ["\#(id).en.json"]"#, withTests: false)),
                ("\(id).en.json", """
                    {
                      "format": "scholia-rules/1",
                      "module": "\(name)",
                      "language": "en",
                      "kind": "flag",
                      "entries": [
                        {"phrases": ["allegedly", "reportedly"], "category": "example"}
                      ],
                      "tests": [
                        {"text": "The plan was allegedly approved.", "expect": [{"text": "allegedly", "category": "example"}]},
                        {"text": "The plan was approved.", "reject": ["approved"]}
                      ]
                    }

                    """),
                ("README.md", readme(name: name, body: """
                    A rule-pack module: the words are in `\(id).en.json` (format `scholia-rules/1`, see protocol.md,
                    "Rule packs"). Add a pack per language (`\(id).ar.json`) and list it under `rules` in module.json.
                    The `tests` inside each pack run with `scholia test-module .`.
                    """)),
            ]
        case .process:
            return [
                ("module.json", manifest(#""command": ["python3", "\#(id).py"],\#n  "timeoutMs": 2000"#, withTests: true)),
                ("\(id).py", processTemplate(name: name)),
                ("README.md", readme(name: name, body: """
                    A process module: Scholia starts `python3 \(id).py` in this folder once and speaks JSON-RPC 2.0
                    to it over stdin/stdout with `Content-Length` framing (protocol.md, "Process modules").
                    Edit `annotate` in `\(id).py`; the `tests` in module.json run with `scholia test-module .`.
                    """)),
            ]
        case .native:
            return [
                ("module.json", manifest(#""library": "lib\#(id).so""#, withTests: true)),
                ("\(id).c", nativeTemplate(name: name)),
                ("scholia_module.h", abiHeader + "\n"),
                ("Makefile", """
                    # Needs libjansson-dev (apt) for the JSON.
                    lib\(id).so: \(id).c scholia_module.h
                    \tcc -shared -fPIC -O2 -Wall -o $@ \(id).c -ljansson

                    """),
                ("README.md", readme(name: name, body: """
                    A native module: a shared library implementing `scholia_module.h` (protocol.md, "The C ABI of
                    native modules"). Build it with `make`, then run its tests with `scholia test-module .`.
                    It runs inside the server: a crash takes the server down, so prefer a process module for
                    code you do not control.
                    """)),
            ]
        }
    }

    static func readme(name: String, body: String) -> String {
        """
        # \(name)

        \(body)

        Use it: `scholia serve --module-path \(name)/..` (or copy the folder to `~/.local/share/scholia/modules/`),
        then `scholia modules` lists it.

        """
    }

    static func processTemplate(name: String) -> String {
        #"""
        #!/usr/bin/env python3
        """Scholia process module "\#(name)": JSON-RPC 2.0 over stdio with Content-Length framing.

        initialize -> who the module is and the offsets it counts in (utf-32: Python string indexes)
        annotate {text, language} -> {annotations: [{kind, start, end, attributes?}]}
        shutdown -> null, then the exit notification
        """
        import json
        import re
        import sys

        NAME = "\#(name)"
        PATTERN = re.compile(r"\b(allegedly|reportedly)\b", re.IGNORECASE)


        def annotate(text, language):
            return [{"kind": "flag", "start": m.start(), "end": m.end(), "attributes": {"word": m.group(0).lower()}}
                    for m in PATTERN.finditer(text)]


        def read_message(stream):
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return None
                line = line.strip()
                if not line:
                    if length is None:
                        continue
                    return json.loads(stream.read(length).decode("utf-8"))
                key, _, value = line.decode("ascii", "replace").partition(":")
                if key.strip().lower() == "content-length":
                    length = int(value)


        def write_message(stream, message):
            body = json.dumps(message, ensure_ascii=False).encode("utf-8")
            stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            stream.flush()


        def main():
            stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
            while True:
                message = read_message(stdin)
                if message is None or message.get("method") == "exit":
                    return
                if "id" not in message:
                    continue
                method, params = message.get("method"), message.get("params") or {}
                if method == "initialize":
                    result = {"name": NAME, "kinds": [{"kind": "flag"}], "languages": ["en"], "positionEncoding": "utf-32"}
                elif method == "annotate":
                    result = {"annotations": annotate(params.get("text", ""), params.get("language"))}
                elif method == "shutdown":
                    result = None
                else:
                    write_message(stdout, {"jsonrpc": "2.0", "id": message["id"],
                                           "error": {"code": -32601, "message": "method not found: " + str(method)}})
                    continue
                write_message(stdout, {"jsonrpc": "2.0", "id": message["id"], "result": result})


        if __name__ == "__main__":
            main()

        """#
    }

    static func nativeTemplate(name: String) -> String {
        #"""
        /* Scholia native module "\#(name)" (scholia_module.h). Offsets are UTF-8 byte offsets. */
        #include <jansson.h>
        #include <stdlib.h>
        #include <string.h>
        #include <strings.h>
        #include <ctype.h>

        #include "scholia_module.h"

        static const char *const words[] = {"allegedly", "reportedly", NULL};

        static const char *describe(void) {
            return "{\"name\": \"\#(name)\", \"version\": \"0.1.0\", \"kinds\": [{\"kind\": \"flag\"}], \"languages\": [\"en\"]}";
        }

        static int is_word_byte(unsigned char c) { return isalnum(c) || c >= 0x80; }

        static char *annotate(const char *request_json) {
            json_t *request = json_loads(request_json, 0, NULL);
            json_t *text_json = request ? json_object_get(request, "text") : NULL;
            const char *text = json_string_value(text_json);
            json_t *answer;
            if (!text) {
                answer = json_pack("{s:s}", "error", "the request has no text");
            } else {
                size_t length = json_string_length(text_json);
                json_t *annotations = json_array();
                for (const char *const *w = words; *w; w++) {
                    size_t n = strlen(*w);
                    for (size_t i = 0; i + n <= length; i++) {
                        if (strncasecmp(text + i, *w, n) != 0) continue;
                        if (i > 0 && is_word_byte((unsigned char)text[i - 1])) continue;
                        if (i + n < length && is_word_byte((unsigned char)text[i + n])) continue;
                        json_array_append_new(annotations, json_pack("{s:s, s:I, s:I}", "kind", "flag",
                                                                     "start", (json_int_t)i, "end", (json_int_t)(i + n)));
                    }
                }
                answer = json_pack("{s:o}", "annotations", annotations);
            }
            char *result = json_dumps(answer, JSON_COMPACT);
            json_decref(answer);
            json_decref(request);
            return result;
        }

        static void free_result(char *result) { free(result); }

        static const scholia_module_v1 table = {SCHOLIA_MODULE_ABI_VERSION, describe, annotate, free_result};

        const scholia_module_v1 *scholia_module_entry(void) { return &table; }

        """#
    }

    /// A copy of Sources/ScholiaModuleABI/include/scholia_module.h, so a native skeleton builds
    /// without the Scholia sources (a test keeps the two identical).
    static let abiHeader = #"""
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
"""#
}
