/// A language an annotator handles, by its BCP 47 primary tag (`en`, `ar`).
public struct Language: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public static let english: Language = "en"
    public static let arabic: Language = "ar"

    public var description: String { rawValue }
}

/// How prominently an editor shows a kind, as LSP's `DiagnosticSeverity`.
public enum AnnotationSeverity: Int, Sendable, CaseIterable {
    case error = 1
    case warning = 2
    case information = 3
    case hint = 4

    public init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warning": self = .warning
        case "information", "info": self = .information
        case "hint": self = .hint
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .error: return "error"
        case .warning: return "warning"
        case .information: return "information"
        case .hint: return "hint"
        }
    }
}

/// A kind a module produces, with how editors show it by default.
public struct KindDescriptor: Sendable, Hashable {
    public var kind: AnnotationKind
    public var defaultSeverity: AnnotationSeverity
    /// The semantic token type an editor colours it with.
    public var tokenType: String

    public init(kind: AnnotationKind, defaultSeverity: AnnotationSeverity = .information, tokenType: String? = nil) {
        self.kind = kind
        self.defaultSeverity = defaultSeverity
        self.tokenType = tokenType ?? kind.rawValue
    }
}

/// What a module is: the facts `scholia modules` lists and a manifest (`module.json`) declares.
public struct ModuleDescriptor: Sendable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    public var kinds: [KindDescriptor]
    public var languages: [Language]
    /// Modules whose annotations this one reads (`AnnotationRequest.prior`); they run first.
    public var runsAfter: [String]
    /// How far the module looks, which decides whether an edit may be re-annotated paragraph by
    /// paragraph (see `Scope`).
    public var scope: Scope

    /// How much text a module's output for one paragraph depends on.
    public enum Scope: String, Sendable, Hashable {
        /// Its annotations in a paragraph depend only on that paragraph and the paragraphs next to
        /// it (a speaker named in the previous sentence, a quotation continued into the next
        /// paragraph), and no annotation or link reaches further. The server may then re-annotate
        /// only the paragraphs an edit touched, plus one neighbour on each side.
        case paragraph
        /// Anything in the document may matter; every edit re-annotates the whole text. The safe
        /// default for modules the server knows nothing about.
        case document
    }

    public init(
        name: String, version: String, description: String, kinds: [KindDescriptor], languages: [Language],
        runsAfter: [String] = [], scope: Scope = .document
    ) {
        self.name = name
        self.version = version
        self.description = description
        self.kinds = kinds
        self.languages = languages
        self.runsAfter = runsAfter
        self.scope = scope
    }

    /// True when the module handles the language (a module that lists none handles all).
    public func handles(_ language: Language) -> Bool { languages.isEmpty || languages.contains(language) }
}
