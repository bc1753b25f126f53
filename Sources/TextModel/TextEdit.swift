/// A replacement of a UTF-8 range of a text by new text. An insertion has an empty range; a
/// deletion an empty replacement.
public struct TextEdit: Sendable, Hashable {
    public var range: Range<Int>
    public var replacement: String

    public init(range: Range<Int>, replacement: String) {
        self.range = range
        self.replacement = replacement
    }

    /// How much the text after the edit moves (in UTF-8 bytes).
    public var delta: Int { replacement.utf8.count - range.count }

    /// The range the replacement occupies in the edited text.
    public var replacedRange: Range<Int> { range.lowerBound..<(range.lowerBound + replacement.utf8.count) }

    /// Applies the edit to UTF-8 bytes. The range must lie inside `bytes` and on scalar boundaries
    /// (`LineIndex` gives only such offsets), so the result is valid UTF-8 again.
    public func apply(to bytes: [UInt8]) -> [UInt8] {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "edit range outside the text")
        var result = [UInt8]()
        result.reserveCapacity(bytes.count + delta)
        result.append(contentsOf: bytes[..<range.lowerBound])
        result.append(contentsOf: replacement.utf8)
        result.append(contentsOf: bytes[range.upperBound...])
        return result
    }
}
