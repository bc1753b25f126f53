/// The unit a client counts offsets in. Inside Scholia every offset is a UTF-8 byte offset into
/// the document; conversion to one of these happens at the edge (the server and the CLI).
public enum PositionEncoding: String, Sendable, CaseIterable {
    /// UTF-8 code units (bytes).
    case utf8 = "utf-8"
    /// UTF-16 code units: LSP's default and what JavaScript and VS Code count.
    case utf16 = "utf-16"
    /// Unicode scalar values (code points), as Python and the PolNeAR corpus count.
    case utf32 = "utf-32"

    /// How many units of this encoding one scalar takes.
    @inline(__always)
    public func width(of scalar: Unicode.Scalar) -> Int {
        switch self {
        case .utf8: return UTF8.width(scalar)
        case .utf16: return UTF16.width(scalar)
        case .utf32: return 1
        }
    }
}

/// A zero-based line and a character offset within that line, counted in some `PositionEncoding`,
/// as LSP's `Position`.
public struct TextPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (lhs: TextPosition, rhs: TextPosition) -> Bool {
        (lhs.line, lhs.character) < (rhs.line, rhs.character)
    }

    public var description: String { "\(line):\(character)" }
}

/// A range between two positions, end exclusive, as LSP's `Range`.
public struct TextRange: Sendable, Hashable, CustomStringConvertible {
    public var start: TextPosition
    public var end: TextPosition

    public init(start: TextPosition, end: TextPosition) {
        self.start = start
        self.end = end
    }

    public var description: String { "\(start)-\(end)" }
}
