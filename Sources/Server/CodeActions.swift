import JSON
import JSONRPC

extension ScholiaServer {
    func codeActions(id: RequestID, method: String, params: Params, complete: @escaping Completion) throws(RPCError) {
        let uri = try Self.documentURI(params)
        withAnalysis(id: id, method: method, uri: uri, complete: complete) { _, _ in [] }
    }
}
