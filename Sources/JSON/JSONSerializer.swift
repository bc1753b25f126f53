import CJansson

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a `JSONValue` as JSON text through jansson.
///
/// Reals that are not finite have no JSON form; they are written as `null`, as JavaScript's
/// `JSON.stringify` does, so a server never emits text its clients cannot read.
public struct JSONSerializer: Sendable {
    /// Spaces of indentation; 0 writes the compact form (no spaces at all) used on the wire.
    public var indent: Int
    public var sortKeys: Bool

    public init(indent: Int = 0, sortKeys: Bool = false) {
        self.indent = indent
        self.sortKeys = sortKeys
    }

    public func serialize(_ value: JSONValue) -> [UInt8] {
        var needsFullPrecision = false
        guard let root = Self.node(for: value, needsFullPrecision: &needsFullPrecision) else { return Array("null".utf8) }
        defer { scholia_json_decref(root) }

        var flags = JSON_ENCODE_ANY
        flags |= indent > 0 ? Int32(scholia_json_indent_flag(Int32(min(indent, 31)))) : JSON_COMPACT
        if sortKeys { flags |= JSON_SORT_KEYS }
        // 15 significant digits print 0.1 as 0.1; 17 are needed only where 15 would not read back
        // as the same double (decided per document while building the tree).
        flags |= Int32(scholia_json_real_precision_flag(needsFullPrecision ? 17 : 15))

        // One call, one buffer: jansson grows its own string buffer in C and we copy it once.
        // (A dump callback into Swift is called for every token, and cost more than the dump.)
        // The output has no NUL byte inside (JSON escapes U+0000), so its length is strlen's.
        guard let text = json_dumps(root, Int(flags)) else { return Array("null".utf8) }
        defer { free(text) }
        let length = strlen(text)
        return text.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    public func serializeToString(_ value: JSONValue) -> String {
        String(decoding: serialize(value), as: UTF8.self)
    }

    // MARK: Swift -> jansson

    /// Builds a new jansson value (a new reference the caller owns).
    static func node(for value: JSONValue, needsFullPrecision: inout Bool) -> UnsafeMutablePointer<json_t>? {
        switch value {
        case .null: return json_null()
        case .bool(let b): return b ? json_true() : json_false()
        case .integer(let i): return json_integer(i)
        case .real(let d):
            guard d.isFinite else { return json_null() }
            if !needsFullPrecision && !Self.roundTripsAt15Digits(d) { needsFullPrecision = true }
            return json_real(d)
        case .string(let s):
            var s = s
            return s.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { json_stringn_nocheck($0.baseAddress ?? emptyCString, $0.count) }
            }
        case .array(let items):
            guard let array = json_array() else { return nil }
            for item in items {
                // `_new` steals the reference, so the child needs no decref of its own.
                json_array_append_new(array, node(for: item, needsFullPrecision: &needsFullPrecision) ?? json_null())
            }
            return array
        case .object(let members):
            guard let object = json_object() else { return nil }
            for (key, member) in members {
                let child = node(for: member, needsFullPrecision: &needsFullPrecision) ?? json_null()
                var key = key
                key.withUTF8 { utf8 in
                    utf8.withMemoryRebound(to: CChar.self) {
                        _ = json_object_setn_new_nocheck(object, $0.baseAddress ?? emptyCString, $0.count, child)
                    }
                }
            }
            return object
        }
    }

    private static func roundTripsAt15Digits(_ value: Double) -> Bool {
        var buffer = [CChar](repeating: 0, count: 40)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.15g", $0) }
        return strtod(buffer, nil) == value
    }
}

/// jansson wants a pointer even for zero bytes; this one is never read.
nonisolated(unsafe) private let emptyCString: UnsafePointer<CChar> = {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
}()

extension JSONValue {
    /// The compact wire form.
    public func serialized() -> [UInt8] { JSONSerializer().serialize(self) }

    public func serializedString(indent: Int = 0) -> String {
        JSONSerializer(indent: indent).serializeToString(self)
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { serializedString() }
}
