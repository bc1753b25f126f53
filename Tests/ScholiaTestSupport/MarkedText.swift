/// Test fixtures carry their expectations inline instead of hand-counted offsets: `⟦` and `⟧`
/// around expected spans, `¦` at expected positions. `MarkedText` strips the marks and gives the
/// plain text with the spans and positions as UTF-8 offsets.
public struct MarkedText: Sendable {
    public let text: String
    /// Spans in the order their opening marks appear.
    public let spans: [Range<Int>]
    /// Offsets of `¦` marks, in order.
    public let positions: [Int]

    public init(_ marked: String) {
        var text = ""
        var spans: [(start: Int, end: Int?)] = []
        var open: [Int] = []
        var positions: [Int] = []
        var utf8Count = 0
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "⟦":
                open.append(spans.count)
                spans.append((utf8Count, nil))
            case "⟧":
                precondition(!open.isEmpty, "unbalanced ⟧ in fixture")
                spans[open.removeLast()].end = utf8Count
            case "¦":
                positions.append(utf8Count)
            default:
                text.unicodeScalars.append(scalar)
                utf8Count += UTF8.width(scalar)
            }
        }
        precondition(open.isEmpty, "unbalanced ⟦ in fixture")
        self.text = text
        self.spans = spans.map { $0.start..<$0.end! }
        self.positions = positions
    }

    /// The text of a UTF-8 range of `text`.
    public func slice(_ range: Range<Int>) -> String {
        String(decoding: Array(text.utf8)[range], as: UTF8.self)
    }
}
