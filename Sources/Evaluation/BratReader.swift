import AnnotationModel
import TextModel

/// Reads brat standoff (`.ann`) over its text, as PolNeAR ships attributions.
///
/// - Offsets in `.ann` files count Unicode code points (brat is written in Python); they are turned
///   into UTF-8 byte offsets here, once, through `LineIndex`. The text brat stores with each span is
///   checked against the text file: a mismatch almost always means the wrong text file or the wrong
///   unit, and scoring would then measure nothing, so it is an error, not a warning.
/// - `T` lines become spans when their type maps to a kind (`kindMap`, or a type whose lowercased
///   name is a built-in kind such as `Hedge`); other types (`Attribution`, `Discuss`, `Discard`) are
///   skipped. `A` lines become attributes of their span. An event (`E`) naming a `Content` and a
///   `Source` gives the quotes of that content their speaker (scored as quote → speaker links);
///   other relations (`R`), notes (`#`) and normalizations (`N`) are skipped.
/// - Direct quotations: PolNeAR marks the attributed `Content`, not quotations. A quotation is
///   what the annotation guide calls a quote: opening mark to closing mark, marks included. So each
///   quotation found inside a content span (see `quotations(in:)`) becomes a `quote` span; content
///   with no quotation marks (indirect speech) gives none.
public struct BratReader: Sendable {
    /// brat type → Scholia kind.
    public var kindMap: [String: AnnotationKind]
    /// brat types whose spans are searched for direct quotations.
    public var quoteSourceTypes: Set<String>

    public init(
        kindMap: [String: AnnotationKind] = ["Source": .source, "Cue": .cue],
        quoteSourceTypes: Set<String> = ["Content"]
    ) {
        self.kindMap = kindMap
        self.quoteSourceTypes = quoteSourceTypes
    }

    static let builtinKinds: Set<AnnotationKind> = [.hedge, .source, .cue, .quote]

    func kind(forType type: String) -> AnnotationKind? {
        if let kind = kindMap[type] { return kind }
        let lowered = AnnotationKind(type.lowercased())
        return Self.builtinKinds.contains(lowered) ? lowered : nil
    }

    /// Reads one `.ann` file's content over the text it annotates. `annPath` names the file in errors.
    public func read(annotations: String, text: String, annPath: String, textPath: String? = nil) throws(GoldError) -> GoldDocument {
        let index = LineIndex(text)
        let utf8 = index.utf8
        var spans: [LabeledSpan] = []
        var spanIndexByID: [String: [Int]] = [:]
        var pendingAttributes: [(target: String, name: String, value: AttributeValue, line: Int)] = []
        var quoteIndexByRange: [Range<Int>: Int] = [:]
        var fragmentsByID: [String: [Range<Int>]] = [:]
        var quotesByContentID: [String: [Int]] = [:]
        var events: [(content: String, source: String, line: Int)] = []

        var lineNumber = 0
        for rawLine in annotations.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            func fail(_ message: String) -> GoldError { GoldError(file: annPath, line: lineNumber, message: message) }

            switch line.first {
            case "T":
                let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count >= 2 else { throw fail("a text-bound annotation needs 'ID<TAB>Type start end<TAB>text'") }
                let id = String(fields[0])
                let typeAndOffsets = fields[1]
                guard let space = typeAndOffsets.firstIndex(of: " ") else { throw fail("no offsets after type '\(typeAndOffsets)'") }
                let type = String(typeAndOffsets[..<space])
                var fragments: [Range<Int>] = []
                for piece in typeAndOffsets[typeAndOffsets.index(after: space)...].split(separator: ";") {
                    let numbers = piece.split(separator: " ")
                    guard numbers.count == 2, let start = Int(numbers[0]), let end = Int(numbers[1]) else {
                        throw fail("malformed offsets '\(piece)' (expected 'start end')")
                    }
                    guard start >= 0, start < end else { throw fail("empty or reversed span \(start) \(end)") }
                    guard let low = index.utf8Offset(from: start, in: .utf32), let high = index.utf8Offset(from: end, in: .utf32) else {
                        throw fail("span \(start) \(end) lies past the end of the text (\(index.length(in: .utf32)) code points)")
                    }
                    fragments.append(low..<high)
                }
                guard !fragments.isEmpty else { throw fail("no offsets after type '\(type)'") }
                // brat shows a discontinuous span's text as its fragments joined by one space.
                let actual = fragments.map { substring(utf8, $0) }.joined(separator: " ")
                if fields.count == 3 && String(fields[2]) != actual {
                    throw fail("span text '\(Self.clip(String(fields[2])))' differs from the text file's '\(Self.clip(actual))' (offsets must count code points)")
                }
                let origin = "\(annPath):\(lineNumber)"
                fragmentsByID[id] = fragments
                if let kind = kind(forType: type) {
                    spanIndexByID[id, default: []].append(spans.count)
                    spans.append(LabeledSpan(kind: kind, fragments: fragments, text: actual, origin: origin))
                }
                if quoteSourceTypes.contains(type) {
                    // Nested or repeated content spans hold the same quotation: it is one quote.
                    for quote in Self.quotations(in: fragments, utf8: utf8) {
                        if let known = quoteIndexByRange[quote] {
                            quotesByContentID[id, default: []].append(known)
                            continue
                        }
                        quoteIndexByRange[quote] = spans.count
                        spanIndexByID[id, default: []].append(spans.count)
                        quotesByContentID[id, default: []].append(spans.count)
                        spans.append(LabeledSpan(
                            kind: .quote, range: quote, text: substring(utf8, quote),
                            attributes: ["from": .string(type)], origin: origin))
                    }
                }
            case "A", "M":
                // `A1<TAB>Name T3 [Value]`: a binary attribute has no value.
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 2 else { throw fail("an attribute needs 'ID<TAB>Name Target [Value]'") }
                let parts = fields[1].split(separator: " ")
                guard parts.count == 2 || parts.count == 3 else { throw fail("an attribute needs 'Name Target [Value]'") }
                let value: AttributeValue = parts.count == 3 ? .string(String(parts[2])) : .bool(true)
                pendingAttributes.append((String(parts[1]), String(parts[0]), value, lineNumber))
            case "E":
                // `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 2 else { throw fail("an event needs 'ID<TAB>Type:Trigger Role:ID ...'") }
                var roles: [String: String] = [:]
                for argument in fields[1].split(separator: " ") {
                    guard let colon = argument.firstIndex(of: ":") else { throw fail("event argument '\(argument)' is not 'Role:ID'") }
                    roles[String(argument[..<colon])] = String(argument[argument.index(after: colon)...])
                }
                if let content = roles["Content"], let source = roles["Source"] {
                    events.append((content, source, lineNumber))
                }
            case "R", "#", "N", "*":
                continue
            default:
                throw fail("unknown brat annotation '\(Self.clip(String(line)))'")
            }
        }
        for attribute in pendingAttributes {
            // Attributes of annotations of skipped types (an `Attribution`'s) are dropped with them.
            for index in spanIndexByID[attribute.target] ?? [] {
                spans[index].attributes[attribute.name] = attribute.value
            }
        }
        for event in events {
            for id in [event.content, event.source] where fragmentsByID[id] == nil {
                throw GoldError(file: annPath, line: event.line, message: "the event names \(id), which this file does not define")
            }
            let source = fragmentsByID[event.source]!
            // The first event that names a source for the content speaks for its quotes.
            for index in quotesByContentID[event.content] ?? [] where spans[index].speaker == nil {
                spans[index].speaker = source
            }
        }
        return GoldDocument(id: annPath, textPath: textPath, text: text, language: nil, spans: spans)
    }

    static func clip(_ text: String, limit: Int = 40) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    // MARK: Quotations inside content

    /// The direct quotations inside a content span: each stretch from an opening quotation mark to
    /// its closing mark, marks included (the guide's `quote` span).
    ///
    /// - Fragments separated only by white space are one piece: a quotation continued over a
    ///   paragraph break is one quote (PolNeAR splits such content at the break).
    /// - A mark just outside a piece belongs to it: annotators often started content inside the
    ///   marks (`“` + content + `”`).
    /// - Pairs: `“…”`, `«…»`, `"…"`, `''…''`, ```` ``…'' ````, `‘…’`. A closing `’` followed by a letter
    ///   is an apostrophe (`don’t`), not the end of a `‘` quotation. Single ASCII `'` is never a mark.
    /// - Between `“` and its `”` a further `“` is ignored: multi-paragraph quotations repeat the opening
    ///   mark at each paragraph and close only at the end.
    /// - An opening mark with no closing mark in the piece gives no quote: the gold says nothing
    ///   about where it ends.
    public static func quotations(in fragments: [Range<Int>], utf8: [UInt8]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        for fragment in fragments.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = pieces.last, utf8[last.upperBound..<max(last.upperBound, fragment.lowerBound)].allSatisfy(isSpaceByte) {
                pieces[pieces.count - 1] = last.lowerBound..<max(last.upperBound, fragment.upperBound)
            } else {
                pieces.append(fragment)
            }
        }
        var result: [Range<Int>] = []
        for piece in pieces {
            var low = piece.lowerBound
            var high = piece.upperBound
            if let before = mark(endingAt: low, in: utf8), before.isOpening { low -= before.length }
            if let after = mark(startingAt: high, in: utf8), after.isClosing { high += after.length }
            var position = low
            while position < high {
                guard let opening = mark(startingAt: position, in: utf8), opening.isOpening, let closer = opening.closer else {
                    position += sequenceLength(utf8[position])
                    continue
                }
                var search = position + opening.length
                var closedAt: Int?
                while search < high {
                    if let candidate = mark(startingAt: search, in: utf8), candidate.text == closer,
                        !(closer == "’" && isLetter(at: search + candidate.length, in: utf8))
                    {
                        closedAt = search + candidate.length
                        break
                    }
                    search += sequenceLength(utf8[search])
                }
                if let closedAt {
                    result.append(position..<closedAt)
                    position = closedAt
                } else {
                    position += opening.length
                }
            }
        }
        return result
    }

    struct Mark {
        var text: String
        var length: Int
        var isOpening: Bool
        var isClosing: Bool
        var closer: String?
    }

    static let marks: [Mark] = [
        Mark(text: "“", length: 3, isOpening: true, isClosing: false, closer: "”"),
        Mark(text: "”", length: 3, isOpening: false, isClosing: true, closer: nil),
        Mark(text: "«", length: 2, isOpening: true, isClosing: false, closer: "»"),
        Mark(text: "»", length: 2, isOpening: false, isClosing: true, closer: nil),
        Mark(text: "‘", length: 3, isOpening: true, isClosing: false, closer: "’"),
        Mark(text: "’", length: 3, isOpening: false, isClosing: true, closer: nil),
        Mark(text: "``", length: 2, isOpening: true, isClosing: false, closer: "''"),
        Mark(text: "''", length: 2, isOpening: true, isClosing: true, closer: "''"),
        Mark(text: "\"", length: 1, isOpening: true, isClosing: true, closer: "\""),
    ]

    static func mark(startingAt offset: Int, in utf8: [UInt8]) -> Mark? {
        marks.first { mark in
            offset + mark.length <= utf8.count && utf8[offset..<offset + mark.length].elementsEqual(mark.text.utf8)
        }
    }

    static func mark(endingAt offset: Int, in utf8: [UInt8]) -> Mark? {
        marks.first { mark in
            offset - mark.length >= 0 && utf8[offset - mark.length..<offset].elementsEqual(mark.text.utf8)
        }
    }

    static func isSpaceByte(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    static func isLetter(at offset: Int, in utf8: [UInt8]) -> Bool {
        guard offset < utf8.count else { return false }
        let end = min(utf8.count, offset + sequenceLength(utf8[offset]))
        guard let scalar = String(decoding: utf8[offset..<end], as: UTF8.self).unicodeScalars.first else { return false }
        return scalar.properties.isAlphabetic
    }

    static func sequenceLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }
}
