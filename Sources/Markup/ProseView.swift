/// The markup a document is written in, which decides what of it is prose.
public enum MarkupFormat: String, Sendable, CaseIterable {
    case plaintext
    case markdown
    case html

    /// The format of an LSP `languageId`; anything not known as Markdown or HTML is plain text.
    public init(languageID: String) {
        switch languageID.lowercased() {
        case "markdown", "md", "mdx", "rmd", "rmarkdown", "quarto", "gfm": self = .markdown
        case "html", "htm", "xhtml": self = .html
        default: self = .plaintext
        }
    }
}

/// A stretch of the original text where some or all modules are switched off by an ignore
/// directive (`<!-- scholia-disable -->` ... `<!-- scholia-enable -->`, `<!-- scholia-disable-next-line -->`).
public struct Suppression: Sendable, Hashable {
    /// UTF-8 range of the original text.
    public var range: Range<Int>
    /// Module (or kind) names switched off; nil means every module.
    public var names: Set<String>?

    public init(range: Range<Int>, names: Set<String>?) {
        self.range = range
        self.names = names
    }

    public func applies(module: String, kind: String) -> Bool {
        guard let names else { return true }
        return names.contains(module) || names.contains(kind)
    }
}

/// The prose of a document, as the annotators should read it, with a way back to the original.
///
/// Markup that is not prose (code blocks and spans, URLs, HTML tags and comments, front matter,
/// Markdown's block markers and link destinations) is replaced by spaces, byte for byte, keeping
/// line breaks; soft line breaks inside a paragraph become spaces, so a paragraph is one line as the
/// text engine expects; HTML entities are decoded. Every byte of the view comes from the byte at the
/// same offset of the original, except where an entity was decoded: those few places are recorded,
/// and `originalRange(of:)` maps any range of the view back to the original exactly. The view is
/// always valid UTF-8 (masks cover whole characters, decoded entities are whole characters).
///
/// No IO, no JSON: a pure function of the bytes and the format.
public struct ProseView: Sendable {
    /// A decoded entity: `viewLength` bytes of the view stand for `originalLength` bytes of the original.
    struct Replacement: Sendable, Hashable {
        var viewStart: Int
        var viewLength: Int
        var originalStart: Int
        var originalLength: Int
        var viewEnd: Int { viewStart + viewLength }
        var originalEnd: Int { originalStart + originalLength }
    }

    public let format: MarkupFormat
    /// The view's bytes: what the annotators read.
    public let utf8: [UInt8]
    /// Ignore directives found in comments, in original offsets.
    public let suppressions: [Suppression]
    /// Decoded entities, by view offset.
    let replacements: [Replacement]
    /// True when the view is the original unchanged (plain text, or markup with nothing to hide).
    public let isIdentity: Bool

    public init(_ original: [UInt8], format: MarkupFormat) {
        self.format = format
        switch format {
        case .plaintext:
            utf8 = original
            suppressions = []
            replacements = []
            isIdentity = true
            return
        case .markdown:
            var scanner = MarkupScanner(original)
            scanner.scanMarkdown()
            (utf8, replacements) = scanner.decodeEntities()
            suppressions = scanner.suppressions
        case .html:
            var scanner = MarkupScanner(original)
            scanner.scanHTML()
            (utf8, replacements) = scanner.decodeEntities()
            suppressions = scanner.suppressions
        }
        isIdentity = replacements.isEmpty && utf8 == original
    }

    public init(_ text: String, format: MarkupFormat) { self.init(Array(text.utf8), format: format) }

    public var text: String { String(decoding: utf8, as: UTF8.self) }

    /// The original offset of a view offset where a span starts (inside a decoded entity: its start).
    public func originalStart(_ viewOffset: Int) -> Int {
        guard let r = lastReplacement(where: { $0.viewStart <= viewOffset }) else { return viewOffset }
        return viewOffset < r.viewEnd ? r.originalStart : viewOffset - r.viewEnd + r.originalEnd
    }

    /// The original offset of a view offset where a span ends (inside a decoded entity: its end).
    public func originalEnd(_ viewOffset: Int) -> Int {
        guard let r = lastReplacement(where: { $0.viewStart < viewOffset }) else { return viewOffset }
        return viewOffset < r.viewEnd ? r.originalEnd : viewOffset - r.viewEnd + r.originalEnd
    }

    public func originalRange(of viewRange: Range<Int>) -> Range<Int> {
        let start = originalStart(viewRange.lowerBound)
        return start..<max(start, originalEnd(viewRange.upperBound))
    }

    /// The view offset of an original offset (inside a decoded entity: the decoded character's start).
    public func viewOffset(ofOriginal offset: Int) -> Int {
        guard let r = lastReplacement(where: { $0.originalStart <= offset }) else { return offset }
        return offset < r.originalEnd ? r.viewStart : offset - r.originalEnd + r.viewEnd
    }

    /// True when a directive switches off `module` (or `kind`) where a span starts.
    public func isSuppressed(originalRange range: Range<Int>, module: String, kind: String) -> Bool {
        suppressions.contains { $0.range.contains(range.lowerBound) && $0.applies(module: module, kind: kind) }
    }

    /// The last replacement for which `isAtOrBefore` holds (they are ordered in both coordinates).
    private func lastReplacement(where isAtOrBefore: (Replacement) -> Bool) -> Replacement? {
        var low = 0
        var high = replacements.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrBefore(replacements[mid]) { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : replacements[low - 1]
    }
}
