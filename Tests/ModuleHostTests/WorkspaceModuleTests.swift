import AnnotationModel
import BuiltinModules
import Foundation
import JSON
import ScholiaTestSupport
import Server
import Testing
@testable import ModuleHost

/// A workspace's own modules (`.scholia/modules`) load only when the client says the workspace is trusted.
@Suite(.serialized) struct WorkspaceModuleTests {
    func workspace() throws -> String {
        let root = try temporaryDirectory()
        try write("""
            {"name": "workspace-words", "version": "1", "kinds": [{"kind": "fault", "severity": "hint"}],
             "command": ["python3", "\(fixture("fault_module.py"))", "workspace-words", "ok"]}
            """, to: root + "/.scholia/modules/workspace-words/module.json")
        return root
    }

    func client(loader: ModuleLoader) -> TestClient {
        let configuration = ScholiaServer.Configuration(loadWorkspaceModules: { root, registry in
            loader.addWorkspaceModules(root: root, into: &registry)
        })
        return TestClient(registry: ModuleRegistry(builtins: BuiltinModules.annotators()), configuration: configuration)
    }

    func initialize(_ client: TestClient, root: String, options: JSONValue?) throws -> JSONValue {
        var params: JSONObject = [
            "processId": .null, "capabilities": [:], "rootUri": .string(URL(fileURLWithPath: root).absoluteString),
        ]
        if let options { params["initializationOptions"] = options }
        let result = try client.call("initialize", .object(params))
        client.notify("initialized", [:])
        return result
    }

    @Test func untrustedWorkspacesLoadNothing() throws {
        let root = try workspace()
        for options: JSONValue? in [nil, ["scholia": ["trustWorkspaceModules": false]], ["trustWorkspaceModules": "yes"]] {
            let client = client(loader: ModuleLoader())
            _ = try initialize(client, root: root, options: options)
            let names = try client.call("scholia/modules")["modules"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == builtinNames)
        }
    }

    @Test func aTrustedWorkspaceAddsItsModules() throws {
        let root = try workspace()
        let client = client(loader: ModuleLoader())
        // The settings may already name the workspace's module: it is loaded before they are read.
        let result = try initialize(client, root: root, options: [
            "scholia": ["trustWorkspaceModules": true, "modules": ["quotations", "workspace-words"]],
        ])
        // Capabilities list every loaded module; the settings decide which run.
        #expect(result["capabilities"]?["experimental"]?["scholia"]?["modules"] == .array((builtinNames + ["workspace-words"]).map { .string($0) }))
        let listed = try client.call("scholia/modules")["modules"]?.arrayValue?.first { $0["name"] == "workspace-words" }
        #expect(listed?["origin"]?.stringValue == "workspace \(root)/.scholia/modules/workspace-words")
        let answer = try client.call("scholia/annotate", ["text": .string(faultText)])
        #expect(kinds(answer) == ["quotations:quote", "workspace-words:fault"])  // the settings enable these two only
        // A later configuration change cannot switch trust on or off.
        client.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["trustWorkspaceModules": false]]])
        _ = try client.call("shutdown")
    }
}
