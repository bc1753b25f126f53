import JSON
import JSONRPC

/// Typed reading of request params: every missing or mistyped field becomes an `invalidParams`
/// error that names the field, so a client learns exactly what it sent wrong.
struct Params {
    let method: String
    let object: JSONObject

    init(method: String, _ value: JSONValue?) throws(RPCError) {
        self.method = method
        switch value {
        case .object(let object): self.object = object
        case nil, .null?: self.object = JSONObject()
        case let other?:
            throw .invalidParams("\(method): params must be an object, got \(other.typeName)")
        }
    }

    init(method: String, object: JSONObject) {
        self.method = method
        self.object = object
    }

    subscript(key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(RPCError) -> String {
        guard let value = self[key] else { throw missing(key) }
        guard let string = value.stringValue else { throw wrongType(key, "a string", value) }
        return string
    }

    func optionalString(_ key: String) throws(RPCError) -> String? {
        guard let value = self[key] else { return nil }
        guard let string = value.stringValue else { throw wrongType(key, "a string", value) }
        return string
    }

    func integer(_ key: String) throws(RPCError) -> Int {
        guard let value = self[key] else { throw missing(key) }
        guard case .integer(let i) = value, let int = Int(exactly: i) else { throw wrongType(key, "an integer", value) }
        return int
    }

    func optionalInteger(_ key: String) throws(RPCError) -> Int? {
        guard self[key] != nil else { return nil }
        return try integer(key)
    }

    func object(_ key: String) throws(RPCError) -> Params {
        guard let value = self[key] else { throw missing(key) }
        guard let object = value.objectValue else { throw wrongType(key, "an object", value) }
        return Params(method: "\(method): \(key)", object: object)
    }

    func optionalObject(_ key: String) throws(RPCError) -> Params? {
        guard self[key] != nil else { return nil }
        return try object(key)
    }

    func array(_ key: String) throws(RPCError) -> [JSONValue] {
        guard let value = self[key] else { throw missing(key) }
        guard let array = value.arrayValue else { throw wrongType(key, "an array", value) }
        return array
    }

    func optionalStringArray(_ key: String) throws(RPCError) -> [String]? {
        guard let value = self[key] else { return nil }
        guard let array = value.arrayValue else { throw wrongType(key, "an array of strings", value) }
        var strings: [String] = []
        for item in array {
            guard let string = item.stringValue else { throw wrongType(key, "an array of strings", value) }
            strings.append(string)
        }
        return strings
    }

    func missing(_ key: String) -> RPCError {
        .invalidParams("\(method): missing '\(key)'")
    }

    func wrongType(_ key: String, _ expected: String, _ value: JSONValue) -> RPCError {
        .invalidParams("\(method): '\(key)' must be \(expected), got \(value.typeName)")
    }
}
