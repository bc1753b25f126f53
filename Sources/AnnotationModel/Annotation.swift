/// What an annotation marks. The built-in kinds are those of the annotation guide; custom modules
/// bring their own (any lowercase name).
public struct AnnotationKind: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// A cue of uncertainty (`probably`, `ربما`, `قد` + imperfect verb).
    public static let hedge: AnnotationKind = "hedge"
    /// Who or what a claim is attributed to (`Yonhap news agency`, `مصادر مطلعة`).
    public static let source: AnnotationKind = "source"
    /// The words that signal attribution (`said`, `according to`, `نقلاً عن`).
    public static let cue: AnnotationKind = "cue"
    /// A direct quotation, marks included.
    public static let quote: AnnotationKind = "quote"

    public static func < (lhs: AnnotationKind, rhs: AnnotationKind) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// A value of an annotation attribute. Plain data: the core knows no JSON.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case real(Double)
    case bool(Bool)
    case list([AttributeValue])

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var integerValue: Int? { if case .integer(let i) = self { return i } else { return nil } }

    public var description: String {
        switch self {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .bool(let b): return String(b)
        case .list(let items): return items.map(\.description).joined(separator: ", ")
        }
    }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
}

/// A typed reference from one annotation to another of the same result: a cue to its `source`,
/// a cue to its `content`, a quote to its `speaker`.
public struct AnnotationLink: Sendable, Hashable {
    public var rel: String
    /// The `id` of the target annotation.
    public var target: String

    public init(rel: String, target: String) {
        self.rel = rel
        self.target = target
    }

    public static let speaker = "speaker"
    public static let source = "source"
    public static let cue = "cue"
    public static let content = "content"
}

/// One marked span of a document.
///
/// `range` is in UTF-8 bytes of the document, end exclusive. Clients never see these offsets:
/// the edge converts them into the encoding the client chose.
public struct Annotation: Sendable, Hashable {
    /// Unique within one result. Modules name annotations by `Annotation.provisionalID(kind:range:)`
    /// so that one module can link to another's; `AnnotationPipeline` then gives the final ids
    /// (`quote-1`, `source-2`, ...) and rewrites the links.
    public var id: String
    public var module: String
    public var kind: AnnotationKind
    public var range: Range<Int>
    /// The annotated text, exactly as in the document.
    public var text: String
    public var attributes: [String: AttributeValue]
    public var links: [AnnotationLink]

    public init(
        id: String? = nil, module: String, kind: AnnotationKind, range: Range<Int>, text: String,
        attributes: [String: AttributeValue] = [:], links: [AnnotationLink] = []
    ) {
        self.id = id ?? Self.provisionalID(kind: kind, range: range)
        self.module = module
        self.kind = kind
        self.range = range
        self.text = text
        self.attributes = attributes
        self.links = links
    }

    public var start: Int { range.lowerBound }
    public var end: Int { range.upperBound }

    /// The id an annotation has before the pipeline numbers it: derived from kind and span, so any
    /// module can name another module's annotation without seeing it (`quote:120+66`: kind, start
    /// and length in bytes).
    public static func provisionalID(kind: AnnotationKind, range: Range<Int>) -> String {
        // What "\(kind.rawValue):\(range.lowerBound)+\(range.count)" gives, written into one buffer:
        // string interpolation cost more than the rest of building an annotation. The length, not
        // the end, keeps most ids within 15 bytes (`source:12345+17`), which Swift stores inline:
        // no allocation to make one, none to free when the pipeline renames it.
        IDText.make(kind.rawValue, UInt8(ascii: ":"), range.lowerBound, UInt8(ascii: "+"), range.count)
    }

    public func link(_ rel: String) -> String? { links.first { $0.rel == rel }?.target }
}

/// Ids as text: a name, a separator and decimal numbers, written straight into one buffer.
enum IDText {
    /// `prefix` `separator` `number`, the number in decimal as `String(_:)` writes it.
    @inline(__always)
    static func make(_ prefix: String, _ separator: UInt8, _ number: Int) -> String {
        make(prefix, separator, number, 0, nil)
    }

    /// `prefix` `separator` `first` [`separator2` `second`], numbers in decimal as `String(_:)`
    /// writes them.
    @inline(__always)
    static func make(_ prefix: String, _ separator: UInt8, _ first: Int, _ separator2: UInt8, _ second: Int?) -> String {
        // Lengths first, so that the string is written once at its exact length (inline up to 15
        // bytes): no buffer to fill first and decode after. Written in one closure that captures
        // nothing it must box: a closure kept in a variable and handed on (to read the prefix's
        // bytes, then to make the string) was called through three layers of partial
        // application, more than the writing itself.
        let firstLength = decimalLength(first)
        let secondLength = second.map { decimalLength($0) } ?? 0
        let nameLength = prefix.utf8.count
        let length = nameLength + 1 + firstLength + (second == nil ? 0 : 1 + secondLength)
        return String(unsafeUninitializedCapacity: length) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            copyUTF8(of: prefix, count: nameLength, to: base)
            var end = nameLength
            base[end] = separator
            end += 1
            writeDecimal(first, length: firstLength, at: base + end)
            end += firstLength
            if let second {
                base[end] = separator2
                end += 1
                writeDecimal(second, length: secondLength, at: base + end)
                end += secondLength
            }
            return end
        }
    }

    /// Writes the `count` UTF-8 bytes of `text` at `start`.
    @inline(__always)
    static func copyUTF8(of text: String, count: Int, to start: UnsafeMutablePointer<UInt8>) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            if let bytes = bytes.baseAddress { start.update(from: bytes, count: count) }
        }
        if copied == nil {
            // Bridged or otherwise non-contiguous text: byte by byte.
            var offset = 0
            for byte in text.utf8 {
                start[offset] = byte
                offset += 1
            }
        }
    }

    /// Characters `String(value)` writes: the digits and a minus sign. Counted by comparing with
    /// powers of ten (a division per digit cost as much again as writing them).
    @inline(__always)
    static func decimalLength(_ value: Int) -> Int {
        let magnitude = value.magnitude
        var digits = 1
        var power: UInt = 10
        // An Int's magnitude is at most 2^63, below 10^19: the power never passes 10^19, which
        // a UInt holds.
        while magnitude >= power {
            digits += 1
            power &*= 10
        }
        return value < 0 ? digits + 1 : digits
    }

    /// Writes `value` in decimal into the `length` bytes at `start` (`length` from `decimalLength`),
    /// two digits at a time from the end.
    @inline(__always)
    static func writeDecimal(_ value: Int, length: Int, at start: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var magnitude = value.magnitude
        var end = length
        while magnitude >= 100 {
            let pair = Int(truncatingIfNeeded: magnitude % 100) &* 2
            magnitude /= 100
            end -= 2
            start[end] = pairs[pair]
            start[end + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(truncatingIfNeeded: magnitude) &* 2
            end -= 2
            start[end] = pairs[pair]
            start[end + 1] = pairs[pair + 1]
        } else {
            end -= 1
            start[end] = UInt8(truncatingIfNeeded: magnitude) &+ 0x30
        }
        if value < 0 { start[0] = UInt8(ascii: "-") }
    }

    /// "00" through "99": the two digits of each number below 100, at twice the number.
    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
}
