import AnnotationModel
import JSON
import JSONRPC

/// The user's settings (protocol.md, "Configuration"): what `initializationOptions`,
/// `workspace/didChangeConfiguration` and `workspace/configuration` carry under `scholia`.
///
/// Every key is optional; a key that is absent keeps its value from the layer below (server defaults,
/// then `initializationOptions`, then the latest configuration).
struct Settings: Sendable, Equatable {
    /// Modules to run; nil runs every loaded module.
    var enabledModules: Set<String>?
    /// Per-kind severity overrides; a nil value turns that kind's diagnostics off.
    var severities: [AnnotationKind: AnnotationSeverity?] = [:]
    /// Language of every document; nil detects it per document.
    var language: Language?
    /// Extra lexicon words per module, handed to the module as `AnnotationRequest.options["words"]`.
    var lexicon: [String: [String]] = [:]
    /// Delay between a change and the diagnostics it triggers, so typing does not annotate every key.
    var debounceMilliseconds = Settings.defaultDebounceMilliseconds
    /// Which cues get a diagnostic of their own.
    var cueDiagnostics = CueDiagnostics.unsourced

    static let defaultDebounceMilliseconds = 150

    /// The options each module's `AnnotationRequest` carries.
    var moduleOptions: [String: [String: [String]]] {
        lexicon.filter { !$0.value.isEmpty }.mapValues { ["words": $0] }
    }

    /// The severity diagnostics of a kind are shown with, or nil when they are turned off.
    func severity(of kind: AnnotationKind, defaults: [AnnotationKind: AnnotationSeverity]) -> AnnotationSeverity? {
        if let override = severities[kind] { return override }
        // The guide's defaults for kinds no loaded module declares: hedges are hints, the rest information.
        return defaults[kind] ?? (kind == .hedge ? .hint : .information)
    }
}

extension ScholiaServer {
    /// Reads a `scholia` settings object over `base`. Keys that are wrong are reported in `problems`
    /// (with the path of the key) and leave the base value; everything else applies.
    func parseSettings(_ value: JSONValue, over base: Settings, path: String) -> (Settings, [String]) {
        var settings = base
        var problems: [String] = []
        guard let object = value.objectValue else {
            if !value.isNull { problems.append("\(path) must be an object, got \(value.typeName)") }
            return (settings, problems)
        }
        for (key, member) in object where !member.isNull {
            switch key {
            case "language":
                guard let name = member.stringValue else {
                    problems.append("\(path).language must be a string, got \(member.typeName)")
                    continue
                }
                do { settings.language = try parseLanguage(name, field: "\(path).language") } catch {
                    problems.append(error.message)
                }
            case "modules":
                if let names = member.arrayValue {
                    let strings = names.compactMap(\.stringValue)
                    guard strings.count == names.count else {
                        problems.append("\(path).modules must be an array of module names or an object of booleans")
                        continue
                    }
                    do { settings.enabledModules = try parseModules(strings, field: "\(path).modules") } catch {
                        problems.append(error.message)
                    }
                } else if let switches = member.objectValue {
                    // An object switches named modules on or off; the others keep their state.
                    var enabled = settings.enabledModules ?? Set(registry.names)
                    for (name, flag) in switches {
                        guard let on = flag.boolValue else {
                            problems.append("\(path).modules.\(name) must be true or false, got \(flag.typeName)")
                            continue
                        }
                        guard registry[name] != nil else {
                            problems.append("\(path).modules: unknown module \(name) (loaded: \(registry.names.joined(separator: ", ")))")
                            continue
                        }
                        if on { enabled.insert(name) } else { enabled.remove(name) }
                    }
                    settings.enabledModules = enabled
                } else {
                    problems.append("\(path).modules must be an array of module names or an object of booleans, got \(member.typeName)")
                }
            case "severity":
                guard let kinds = member.objectValue else {
                    problems.append("\(path).severity must be an object (kind → severity), got \(member.typeName)")
                    continue
                }
                for (kind, level) in kinds {
                    guard let name = level.stringValue else {
                        problems.append("\(path).severity.\(kind) must be a string, got \(level.typeName)")
                        continue
                    }
                    if name.lowercased() == "off" || name.lowercased() == "none" {
                        settings.severities[AnnotationKind(kind)] = .some(nil)
                    } else if let severity = AnnotationSeverity(name: name) {
                        settings.severities[AnnotationKind(kind)] = severity
                    } else {
                        problems.append("\(path).severity.\(kind): unknown severity '\(name)' (error, warning, information, hint, off)")
                    }
                }
            case "lexicon":
                guard let modules = member.objectValue else {
                    problems.append("\(path).lexicon must be an object (module → words), got \(member.typeName)")
                    continue
                }
                for (module, words) in modules {
                    let strings = words.arrayValue?.compactMap(\.stringValue)
                    guard let strings, strings.count == words.arrayValue?.count else {
                        problems.append("\(path).lexicon.\(module) must be an array of strings")
                        continue
                    }
                    guard registry[module] != nil else {
                        problems.append("\(path).lexicon: unknown module \(module) (loaded: \(registry.names.joined(separator: ", ")))")
                        continue
                    }
                    settings.lexicon[module] = strings.filter { !$0.isEmpty }
                }
            case "cueDiagnostics":
                guard let name = member.stringValue, let value = CueDiagnostics(rawValue: name) else {
                    problems.append(#"\#(path).cueDiagnostics must be "unsourced" or "all", got \#(member)"#)
                    continue
                }
                settings.cueDiagnostics = value
            case "debounceMilliseconds", "debounce":
                guard let milliseconds = member.intValue, milliseconds >= 0, milliseconds <= 60_000 else {
                    problems.append("\(path).\(key) must be an integer from 0 to 60000")
                    continue
                }
                settings.debounceMilliseconds = milliseconds
            default:
                // Unknown keys are ignored so that newer clients' settings do not break older servers.
                break
            }
        }
        return (settings, problems)
    }
}

/// Which cues get a diagnostic of their own. A cue linked to a source is named in that source's
/// diagnostic (`Unnamed source: “officials” (cue: said)`) and marked by semantic tokens beside it,
/// so by default only the cues without a source (a dropped subject: `وأضاف أن`) get one.
enum CueDiagnostics: String, Sendable, Equatable {
    /// Only cues with no `source` link.
    case unsourced
    /// Every cue.
    case all

    /// Whether `annotation` gets a diagnostic, as far as this rule goes (its kind's severity decides
    /// the rest). Depends on the annotation alone, so a diagnostic reused from the last publish is
    /// still right when the annotation is.
    func allows(_ annotation: Annotation) -> Bool {
        allows(kind: annotation.kind, links: annotation.links)
    }

    /// `allows(_:)` from the two fields it reads (a caller that has the annotation in an array
    /// need not copy all of it).
    @inline(__always)
    func allows(kind: AnnotationKind, links: [AnnotationLink]) -> Bool {
        // Links first: most annotations have none.
        links.isEmpty || !leavesOut(kind) || !links.contains { $0.rel == AnnotationLink.source }
    }

    /// Whether annotations of `kind` may be left out (cues, unless `all`).
    func leavesOut(_ kind: AnnotationKind) -> Bool {
        self == .unsourced && kind.rawValue == AnnotationKind.cue.rawValue
    }
}

/// What the client said it can do, as far as Scholia's behaviour depends on it.
struct ClientFeatures: Sendable, Equatable {
    /// `workspace.configuration`: the server may ask for settings.
    var configuration = false
    /// `textDocument.diagnostic`: the client pulls diagnostics, so the server does not push them.
    var pullDiagnostics = false
    var diagnosticRefresh = false
    var semanticTokensRefresh = false
    var inlayHintRefresh = false
    var codeLensRefresh = false
    /// `textDocument.semanticTokens.multilineTokenSupport`: tokens may span lines.
    var multilineTokens = false
    /// Hover content in Markdown (else plain text).
    var markdownHover = true

    /// Read leniently: a capability of the wrong type counts as absent, never as an error.
    init(capabilities: JSONValue?) {
        guard let capabilities else { return }
        let workspace = capabilities["workspace"]
        let textDocument = capabilities["textDocument"]
        configuration = workspace?["configuration"]?.boolValue == true
        pullDiagnostics = textDocument?["diagnostic"]?.objectValue != nil
        diagnosticRefresh = workspace?["diagnostics"]?["refreshSupport"]?.boolValue == true
        semanticTokensRefresh = workspace?["semanticTokens"]?["refreshSupport"]?.boolValue == true
        inlayHintRefresh = workspace?["inlayHint"]?["refreshSupport"]?.boolValue == true
        codeLensRefresh = workspace?["codeLens"]?["refreshSupport"]?.boolValue == true
        multilineTokens = textDocument?["semanticTokens"]?["multilineTokenSupport"]?.boolValue == true
        if let formats = textDocument?["hover"]?["contentFormat"]?.arrayValue {
            markdownHover = formats.contains("markdown") || formats.isEmpty
        }
    }

    init() {}
}
