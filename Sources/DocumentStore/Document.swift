import TextModel

/// One immutable version of an open document. Edits make a new snapshot; readers (the annotation
/// pipeline, a request in flight) keep the one they started with.
public struct DocumentSnapshot: Sendable {
    public let uri: String
    /// The client's language id (`plaintext`, `markdown`, `html`...), as given at open.
    public let languageID: String
    public let version: Int
    public let lineIndex: LineIndex
    /// The text as given at open; after an edit nil, and `text` is made from the bytes when asked
    /// (an edit does not decode a megabyte that the incremental path never reads as a String).
    private let openedText: String?

    /// The whole text. After an edit each use makes it from the bytes.
    public var text: String { openedText ?? String(decoding: lineIndex.utf8, as: UTF8.self) }

    public init(uri: String, languageID: String, version: Int, text: String) {
        self.uri = uri
        self.languageID = languageID
        self.version = version
        self.openedText = text
        self.lineIndex = LineIndex(text)
    }

    init(uri: String, languageID: String, version: Int, utf8: [UInt8]) {
        self.uri = uri
        self.languageID = languageID
        self.version = version
        self.openedText = nil
        self.lineIndex = LineIndex(utf8: utf8)
    }

    init(uri: String, languageID: String, version: Int, lineIndex: LineIndex) {
        self.uri = uri
        self.languageID = languageID
        self.version = version
        self.openedText = nil
        self.lineIndex = lineIndex
    }

    public var utf8: [UInt8] { lineIndex.utf8 }

    /// What the change that made this version left alone of the version before (nil after open):
    /// so work that compares this text with the last one need not read a megabyte to find where
    /// they differ.
    public private(set) var unchanged: UnchangedEnds?
}

/// Bytes at the start and end of a text that are those of an earlier version of it: at least
/// `prefix` bytes at the start and `suffix` at the end (not overlapping in either text), not
/// necessarily the most (typing `a` after an `a` leaves one more the same).
public struct UnchangedEnds: Sendable, Equatable {
    /// The earlier version.
    public var version: Int
    public var prefix: Int
    public var suffix: Int

    public init(version: Int, prefix: Int, suffix: Int) {
        self.version = version
        self.prefix = prefix
        self.suffix = suffix
    }
}

extension DocumentSnapshot {
    /// This snapshot, saying what it kept of `before`.
    func keeping(_ unchanged: UnchangedEnds) -> DocumentSnapshot {
        var snapshot = self
        snapshot.unchanged = unchanged
        return snapshot
    }
}

/// A change as LSP's `TextDocumentContentChangeEvent` carries it: a range in the client's encoding
/// and its new text, or (no range) the whole new text.
public struct DocumentChange: Sendable, Hashable {
    public var range: TextRange?
    public var text: String

    public init(range: TextRange?, text: String) {
        self.range = range
        self.text = text
    }
}

/// Why the store refused a request. The document is always left exactly as it was.
public struct DocumentStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case notOpen
        case alreadyOpen
        case rangeOutsideDocument
        case staleVersion
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
