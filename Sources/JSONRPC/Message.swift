import JSON

/// A JSON-RPC request id: a string or an integer, echoed back exactly as the client sent it.
public enum RequestID: Hashable, Sendable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    public init?(json: JSONValue) {
        switch json {
        case .integer(let i): self = .number(i)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .number(let i): return .integer(i)
        case .string(let s): return .string(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let i): return String(i)
        case .string(let s): return "\"\(s)\""
        }
    }
}

/// A JSON-RPC 2.0 error object. The codes are those of the specification plus LSP's.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    /// LSP: a request other than `initialize` arrived before it.
    public static let serverNotInitializedCode = -32002
    /// LSP: the request was cancelled by `$/cancelRequest`.
    public static let requestCancelledCode = -32800
    /// LSP: the document changed while the request ran, so its result would be stale.
    public static let contentModifiedCode = -32801
    /// LSP: the server failed a request whose method it knows and whose params were valid.
    public static let requestFailedCode = -32803

    public static func parseError(_ message: String, data: JSONValue? = nil) -> RPCError {
        RPCError(code: parseErrorCode, message: message, data: data)
    }
    public static func invalidRequest(_ message: String) -> RPCError {
        RPCError(code: invalidRequestCode, message: message)
    }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFoundCode, message: "method not found: \(method)")
    }
    public static func invalidParams(_ message: String) -> RPCError {
        RPCError(code: invalidParamsCode, message: message)
    }
    public static func internalError(_ message: String) -> RPCError {
        RPCError(code: internalErrorCode, message: message)
    }
    public static func serverNotInitialized(_ method: String) -> RPCError {
        RPCError(code: serverNotInitializedCode, message: "server not initialized: '\(method)' arrived before 'initialize'")
    }
    public static func requestCancelled() -> RPCError {
        RPCError(code: requestCancelledCode, message: "request cancelled")
    }

    public var json: JSONValue {
        var object = JSONObject([("code", .integer(Int64(code))), ("message", .string(message))])
        if let data { object["data"] = data }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        self.init(code: code, message: message, data: json["data"])
    }

    public var description: String { "\(code): \(message)" }
}

/// One JSON-RPC 2.0 message.
public enum Message: Sendable, Hashable {
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// `id` is nil only for an error about a message whose id could not be read (a parse error).
    case response(id: RequestID?, result: Result<JSONValue, RPCError>)

    public var method: String? {
        switch self {
        case .request(_, let method, _), .notification(let method, _): return method
        case .response: return nil
        }
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["jsonrpc"] = "2.0"
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id.json
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .response(let id, let result):
            object["id"] = id?.json ?? .null
            switch result {
            case .success(let value): object["result"] = value
            case .failure(let error): object["error"] = error.json
            }
        }
        return .object(object)
    }

    /// Reads one message object. A value that is not a valid message gives the error to answer with
    /// and, when it could be read, the id to answer to.
    public static func decode(_ json: JSONValue) -> Result<Message, InvalidMessage> {
        guard case .object(let object) = json else {
            return .failure(InvalidMessage(id: nil, error: .invalidRequest("a message must be an object, got \(json.typeName)")))
        }
        let rawID = object["id"]
        var id: RequestID?
        if let rawID, !rawID.isNull {
            guard let parsed = RequestID(json: rawID) else {
                return .failure(InvalidMessage(id: nil, error: .invalidRequest("'id' must be a string or an integer, got \(rawID.typeName)")))
            }
            id = parsed
        }
        guard object["jsonrpc"] == "2.0" else {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("'jsonrpc' must be \"2.0\"")))
        }
        if let method = object["method"] {
            guard let name = method.stringValue else {
                return .failure(InvalidMessage(id: id, error: .invalidRequest("'method' must be a string, got \(method.typeName)")))
            }
            // `"params": null` is read as no params: some clients write it for parameterless calls,
            // and refusing `shutdown` or `exit` over it would help no one.
            var params = object["params"]
            // `.none`, not `nil`: JSONValue is ExpressibleByNilLiteral, and a `nil` that inference
            // reads as a JSONValue is `.null` again.
            if params?.isNull == true { params = .none }
            if let params, params.arrayValue == nil, params.objectValue == nil {
                return .failure(InvalidMessage(id: id, error: .invalidRequest("'params' must be an object or an array, got \(params.typeName)")))
            }
            if rawID == nil { return .success(.notification(method: name, params: params)) }
            guard let id else {
                // JSON-RPC allows a null id but discourages it; nothing can be answered to it that a
                // client could match, so it is refused like a missing method.
                return .failure(InvalidMessage(id: nil, error: .invalidRequest("'id' must not be null in a request")))
            }
            return .success(.request(id: id, method: name, params: params))
        }
        if let result = object["result"] {
            return .success(.response(id: id, result: .success(result)))
        }
        if let error = object["error"] {
            guard let rpcError = RPCError(json: error) else {
                return .failure(InvalidMessage(id: id, error: .invalidRequest("'error' must have an integer 'code' and a string 'message'")))
            }
            return .success(.response(id: id, result: .failure(rpcError)))
        }
        return .failure(InvalidMessage(id: id, error: .invalidRequest("a message needs 'method', 'result' or 'error'")))
    }
}

/// A received value that is not a valid message: what to answer, and to which id.
public struct InvalidMessage: Error, Sendable, Hashable {
    public var id: RequestID?
    public var error: RPCError
    public init(id: RequestID?, error: RPCError) {
        self.id = id
        self.error = error
    }
}

/// What one frame held: a single message or a batch (a JSON array of messages).
public enum Payload: Sendable, Hashable {
    case single(Result<Message, InvalidMessage>)
    case batch([Result<Message, InvalidMessage>])

    /// Reads a frame's bytes. Text that is not JSON gives a parse error to answer with id null; an
    /// empty batch is an invalid request.
    public static func decode(_ bytes: [UInt8], parser: JSONParser = JSONParser()) -> Result<Payload, RPCError> {
        let json: JSONValue
        do {
            json = try parser.parse(bytes)
        } catch {
            let data: JSONValue = [
                "line": .integer(Int64(error.line)), "column": .integer(Int64(error.column)),
                "offset": .integer(Int64(error.byteOffset)), "reason": .string(error.code.rawValue),
            ]
            return .failure(.parseError("parse error: \(error)", data: data))
        }
        if case .array(let items) = json {
            if items.isEmpty { return .failure(.invalidRequest("empty batch")) }
            return .success(.batch(items.map(Message.decode)))
        }
        return .success(.single(Message.decode(json)))
    }
}
