import Synchronization

/// What an annotator is given: the document's text, its language, and the annotations of the
/// modules it runs after.
public struct AnnotationRequest: Sendable {
    public let text: String
    /// The text's bytes; every range an annotator returns counts in these.
    public let utf8: [UInt8]
    public let language: Language
    /// Annotations produced earlier in this run by the modules named in `runsAfter`.
    public let prior: [Annotation]
    /// Asked between units of work; true means the result will be thrown away.
    public let isCancelled: @Sendable () -> Bool
    /// The user's options for this module (empty unless configured). `words`: extra lexicon entries
    /// the module should treat as its own (the server's `scholia.lexicon.<module>` setting).
    public let options: [String: [String]]
    /// Analyses of this text shared by the modules of one run (the text engine's tokens and
    /// sentences), so a text is tokenized once however many modules read it.
    public let shared: SharedAnalyses

    /// `utf8` is known to be `text`'s own bytes (not just bytes a caller gave along), so a slice
    /// of `text` may stand for the same slice of `utf8`.
    private let utf8IsText: Bool

    public init(
        text: String, utf8: [UInt8]? = nil, language: Language, prior: [Annotation] = [],
        options: [String: [String]] = [:], shared: SharedAnalyses = SharedAnalyses(),
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) {
        self.init(
            text: text, utf8: utf8 ?? Array(text.utf8), utf8IsText: utf8 == nil, language: language, prior: prior,
            options: options, shared: shared, isCancelled: isCancelled)
    }

    /// `utf8IsText`: the caller made `utf8` from `text` (the pipeline does, once per run).
    init(
        text: String, utf8: [UInt8], utf8IsText: Bool, language: Language, prior: [Annotation],
        options: [String: [String]], shared: SharedAnalyses, isCancelled: @escaping @Sendable () -> Bool
    ) {
        self.text = text
        self.utf8 = utf8
        self.utf8IsText = utf8IsText
        self.language = language
        self.prior = prior
        self.options = options
        self.shared = shared
        self.isCancelled = isCancelled
    }

    /// The document text of a UTF-8 range.
    public func text(in range: Range<Int>) -> String {
        // Decoding the bytes validates each one again (ten to fifteen instructions a byte once
        // curly quotes, dashes or Arabic make a text non-ASCII). A String's bytes are valid
        // already: a slice of `text` between scalar boundaries is copied as it is. Slicing costs
        // a few hundred instructions of index checks, which pays from about 32 bytes on (shorter
        // texts, most sources and cues, are still decoded).
        if utf8IsText && range.count >= 32 && range.lowerBound >= 0 && range.upperBound <= utf8.count
            && utf8[range.lowerBound] & 0xC0 != 0x80 && (range.upperBound == utf8.count || utf8[range.upperBound] & 0xC0 != 0x80)
        {
            let view = text.utf8
            let start = view.index(view.startIndex, offsetBy: range.lowerBound)
            let end = view.index(start, offsetBy: range.count)
            return String(text[start..<end])
        }
        return String(decoding: utf8[range], as: UTF8.self)
    }
}

/// An annotation module: text in, annotations out. Stateless from one call to the next, so the
/// server can call it from any thread and for several documents at once.
///
/// A module that fails throws; the pipeline drops that module's output for the call, records why,
/// and keeps every other module's annotations.
public protocol Annotator: Sendable {
    var descriptor: ModuleDescriptor { get }
    func annotate(_ request: AnnotationRequest) throws -> [Annotation]
}

/// A module failure that the annotator reports itself, with a message fit for a log line.
public struct AnnotatorError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A value made on first use and then kept, for every copy of whatever holds it (a class, so
/// copies of a struct share it), safe to ask from several threads.
public final class MadeOnce<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    public init() {}

    public func value(_ make: () -> Value) -> Value {
        stored.withLock { stored in
            if let stored { return stored }
            let made = make()
            stored = made
            return made
        }
    }
}

/// Values computed from one run's text and shared by its modules, keyed by the type that computes
/// them. The core does not know the text engine, so it stores them opaquely; the text engine's
/// `AnnotationRequest.analyzed` is the one user today.
public final class SharedAnalyses: Sendable {
    /// Each value in a box of its own type, filed under that type: what a key finds is known to
    /// be a `Box<Value>`, so no dynamic cast out of an existential is needed.
    @usableFromInline
    final class Box<Value: Sendable>: Sendable {
        @usableFromInline let value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    @usableFromInline
    let values = Mutex<[ObjectIdentifier: any AnyObject & Sendable]>([:])

    public init() {}

    /// The value stored for `type`, computed by `make` on first use. Modules of a run are called
    /// one after another, so `make` runs once per run. Inlinable, so that it is specialized for
    /// each `Value` where it is called: the generic version looked up type metadata and cast, a
    /// few thousand instructions a call.
    @inlinable
    public func value<Value: Sendable>(of type: Value.Type, _ make: () -> Value) -> Value {
        let key = ObjectIdentifier(type)
        if let found = values.withLock({ $0[key] }) {
            // Stored under `Value`'s own identifier, by the line below.
            return unsafeDowncast(found, to: Box<Value>.self).value
        }
        let made = make()
        values.withLock { $0[key] = Box(made) }
        return made
    }
}
