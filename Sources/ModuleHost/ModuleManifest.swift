import AnnotationModel
import JSON

/// A custom module's `module.json`: what it is (the facts `scholia modules` lists) and how to run it.
///
/// ```json
/// {"name": "loaded-words", "version": "1.0.0", "description": "Loaded and sensational words",
///  "kinds": [{"kind": "loaded", "severity": "warning", "tokenType": "loaded"}],
///  "languages": ["en", "ar"],
///  "command": ["python3", "loaded_words.py"], "timeoutMs": 2000}
/// ```
///
/// Exactly one of `rules` (a rule pack, or an array of packs, one per language), `command` and
/// `library` says what the module is. Relative paths (the
/// rule pack, the library, and a command's program when it contains a slash) are resolved against
/// the manifest's directory, so a module folder can be moved as a whole.
public struct ModuleManifest: Sendable, Hashable {
    public enum Implementation: Sendable, Hashable {
        /// Rule-pack JSON files (one per language), matched by the text engine in process.
        case rules(paths: [String])
        /// A program spoken to over its stdio (JSON-RPC 2.0, Content-Length framing).
        case command(argv: [String])
        /// A shared library exporting `scholia_module_entry` (the C ABI of scholia_module.h).
        case library(path: String)
    }

    public var descriptor: ModuleDescriptor
    public var implementation: Implementation
    /// How long one `annotate` call of a process module may take before it is abandoned.
    public var timeoutMilliseconds: Int
    /// The manifest file itself (errors name it).
    public var path: String
    /// The folder that holds the manifest; relative paths are resolved against it.
    public var directory: String

    public static let defaultTimeoutMilliseconds = 2000

    /// Names are what settings, `--modules` and ignore directives refer to, so they stay simple.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Reads a manifest. `path` is the manifest's own path, used to resolve relative paths and in errors.
    public static func parse(bytes: [UInt8], path: String) throws(ManifestError) -> ModuleManifest {
        let json: JSONValue
        do { json = try JSONParser().parse(bytes) } catch {
            throw ManifestError(path: path, field: nil, reason: "not valid JSON: \(error)")
        }
        return try parse(json, path: path)
    }

    public static func parse(_ json: JSONValue, path: String) throws(ManifestError) -> ModuleManifest {
        let reader = ManifestReader(path: path)
        guard let object = json.objectValue else {
            throw reader.error(nil, "expected an object, got \(json.typeName)")
        }
        let name = try reader.string(object, "name")
        guard isValidName(name) else {
            throw reader.error("name", "expected lowercase letters, digits, '-' or '_', starting with a letter; got '\(name)'")
        }
        let version = try reader.string(object, "version")
        let description = try reader.string(object, "description", required: false) ?? ""

        guard let rawKinds = object["kinds"] else { throw reader.error("kinds", "missing") }
        guard let kindList = rawKinds.arrayValue, !kindList.isEmpty else {
            throw reader.error("kinds", "expected a non-empty array of kinds")
        }
        var kinds: [KindDescriptor] = []
        for (index, rawKind) in kindList.enumerated() {
            let field = "kinds[\(index)]"
            guard let kindObject = rawKind.objectValue else {
                throw reader.error(field, "expected an object with 'kind', 'severity' and 'tokenType', got \(rawKind.typeName)")
            }
            let kind = try reader.string(kindObject, "kind", in: field)
            guard isValidName(kind) else {
                throw reader.error("\(field).kind", "expected lowercase letters, digits, '-' or '_', starting with a letter; got '\(kind)'")
            }
            var severity = AnnotationSeverity.information
            if let name = try reader.string(kindObject, "severity", in: field, required: false) {
                guard let parsed = AnnotationSeverity(name: name), name == parsed.name else {
                    throw reader.error("\(field).severity", "expected one of error, warning, information, hint")
                }
                severity = parsed
            }
            let tokenType = try reader.string(kindObject, "tokenType", in: field, required: false)
            kinds.append(KindDescriptor(kind: AnnotationKind(kind), defaultSeverity: severity, tokenType: tokenType))
        }

        var languages: [Language] = []
        if let rawLanguages = object["languages"] {
            guard let list = rawLanguages.arrayValue else {
                throw reader.error("languages", "expected an array of language tags (\"en\", \"ar\"), got \(rawLanguages.typeName)")
            }
            for (index, language) in list.enumerated() {
                guard let tag = language.stringValue, !tag.isEmpty else {
                    throw reader.error("languages[\(index)]", "expected a language tag such as \"en\" or \"ar\"")
                }
                languages.append(Language(rawValue: tag))
            }
        }
        let runsAfter = try reader.stringArray(object, "runsAfter") ?? []
        // The server re-annotates an edited document paragraph by paragraph only when every module
        // says it looks no further; unknown code is assumed to read the whole document.
        var scope = ModuleDescriptor.Scope.document
        if let name = try reader.string(object, "scope", required: false) {
            guard let parsed = ModuleDescriptor.Scope(rawValue: name) else {
                throw reader.error("scope", "expected paragraph or document")
            }
            scope = parsed
        }

        let directory = parentDirectory(of: path)
        let present = ["rules", "command", "library"].filter { object[$0] != nil }
        guard present.count == 1 else {
            throw reader.error(
                present.isEmpty ? nil : present[1],
                present.isEmpty
                    ? "missing what runs the module: exactly one of 'rules', 'command' or 'library'"
                    : "only one of 'rules', 'command' or 'library' may be given (found \(present.joined(separator: ", ")))")
        }
        let implementation: Implementation
        switch present[0] {
        case "rules":
            // One pack, or one per language: `"rules": ["loaded.en.json", "loaded.ar.json"]`.
            let paths: [String]
            if object["rules"]?.arrayValue != nil {
                paths = try reader.stringArray(object, "rules") ?? []
                guard !paths.isEmpty else { throw reader.error("rules", "expected a path or a non-empty array of paths") }
            } else {
                paths = [try reader.string(object, "rules")]
            }
            implementation = .rules(paths: paths.map { resolve($0, against: directory) })
        case "library":
            implementation = .library(path: resolve(try reader.string(object, "library"), against: directory))
        default:
            guard var argv = try reader.stringArray(object, "command"), !argv.isEmpty, !argv[0].isEmpty else {
                throw reader.error("command", "expected a non-empty array of strings (the program and its arguments)")
            }
            // A bare program name is looked up on PATH; one with a slash is the module's own file.
            if argv[0].contains("/") { argv[0] = resolve(argv[0], against: directory) }
            implementation = .command(argv: argv)
        }

        var timeout = defaultTimeoutMilliseconds
        if let rawTimeout = object["timeoutMs"] {
            guard let value = rawTimeout.intValue, value > 0, value <= 600_000 else {
                throw reader.error("timeoutMs", "expected an integer from 1 to 600000 (milliseconds)")
            }
            timeout = value
        }
        return ModuleManifest(
            descriptor: ModuleDescriptor(
                name: name, version: version, description: description, kinds: kinds, languages: languages,
                runsAfter: runsAfter, scope: scope),
            implementation: implementation, timeoutMilliseconds: timeout, path: path, directory: directory)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func resolve(_ path: String, against directory: String) -> String {
        path.hasPrefix("/") ? path : (directory == "/" ? "/" + path : directory + "/" + path)
    }
}

/// Why a manifest was refused: the file, the field and why, on one line
/// (`/x/module.json: kinds[1].severity: expected one of error, warning, information, hint`).
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// The offending field as a path into the manifest (`kinds[1].severity`); nil for the whole file.
    public var field: String?
    public var reason: String

    public init(path: String, field: String?, reason: String) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "\(path): \(field): \(reason)" }
        return "\(path): \(reason)"
    }
}

/// Typed access to manifest fields that throws errors naming the field.
private struct ManifestReader {
    let path: String

    func error(_ field: String?, _ reason: String) -> ManifestError {
        ManifestError(path: path, field: field, reason: reason)
    }

    func string(_ object: JSONObject, _ key: String, in parent: String? = nil) throws(ManifestError) -> String {
        guard let value = try string(object, key, in: parent, required: true) else {
            throw error(field(key, in: parent), "missing")
        }
        return value
    }

    func string(_ object: JSONObject, _ key: String, in parent: String? = nil, required: Bool) throws(ManifestError) -> String? {
        guard let value = object[key], !value.isNull else {
            if required { throw error(field(key, in: parent), "missing") }
            return nil
        }
        guard let string = value.stringValue else {
            throw error(field(key, in: parent), "expected a string, got \(value.typeName)")
        }
        if required && string.isEmpty { throw error(field(key, in: parent), "must not be empty") }
        return string
    }

    func stringArray(_ object: JSONObject, _ key: String) throws(ManifestError) -> [String]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let array = value.arrayValue else {
            throw error(key, "expected an array of strings, got \(value.typeName)")
        }
        var strings: [String] = []
        for (index, item) in array.enumerated() {
            guard let string = item.stringValue else {
                throw error("\(key)[\(index)]", "expected a string, got \(item.typeName)")
            }
            strings.append(string)
        }
        return strings
    }

    private func field(_ key: String, in parent: String?) -> String {
        parent.map { "\($0).\(key)" } ?? key
    }
}
