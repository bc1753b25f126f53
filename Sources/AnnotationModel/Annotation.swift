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
    /// `prefix` `separator` `first` [`separator2` `second`], numbers in decimal as `String(_:)`
    /// writes them.
    @inline(__always)
    static func make(_ prefix: String, _ separator: UInt8, _ first: Int, _ separator2: UInt8 = 0, _ second: Int? = nil) -> String {
        var prefix = prefix
        return prefix.withUTF8 { name in
            // Written straight into the string's storage at its exact length (inline up to 15
            // bytes): no buffer to fill first and decode after.
            var length = name.count + 1 + digitCount(first)
            if let second { length += 1 + digitCount(second) }
            return String(unsafeUninitializedCapacity: length) { buffer in
                var count = 0
                for byte in name {
                    buffer[count] = byte
                    count += 1
                }
                buffer[count] = separator
                count += 1
                write(first, into: buffer, at: &count)
                if let second {
                    buffer[count] = separator2
                    count += 1
                    write(second, into: buffer, at: &count)
                }
                return count
            }
        }
    }

    /// Characters `String(value)` writes: the digits and a minus sign.
    @inline(__always)
    static func digitCount(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var digits = value < 0 ? 2 : 1
        while magnitude >= 10 {
            digits += 1
            magnitude /= 10
        }
        return digits
    }

    @inline(__always)
    static func write(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) {
        if value < 0 {
            buffer[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var index = count + digits - 1
        repeat {
            buffer[index] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
            magnitude /= 10
            index -= 1
        } while magnitude > 0
        count += digits
    }
}
