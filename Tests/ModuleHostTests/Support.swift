import AnnotationModel
import BuiltinModules
import Foundation
import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
import Server

/// The repository root (this file is Tests/ModuleHostTests/Support.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

func fixture(_ name: String) -> String { repositoryRoot + "/Tests/Fixtures/modules/" + name }
func example(_ name: String) -> String { repositoryRoot + "/Plugins/examples/" + name }

struct ModuleTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A file the package built, next to the test bundle (both live in `.build/<config>/`).
func builtProduct(_ name: String) throws -> String {
    var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    throw ModuleTestError("\(name) was not found next to the test bundle; run 'swift build --build-tests' first")
}

/// A fresh directory under the system's temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "scholia-modules-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// A module folder holding a manifest that points at the example native library the package built.
func nativeExampleDirectory() throws -> String {
    let library = try builtProduct("libscholia-example-native.so")
    let directory = try temporaryDirectory()
    try write("""
        {"name": "native-loaded-words", "version": "1.0.0", "description": "example native module",
         "kinds": [{"kind": "loaded", "severity": "warning", "tokenType": "loaded"}],
         "languages": ["en", "ar"], "library": "\(library)"}
        """, to: directory + "/native-loaded-words/module.json")
    return directory
}

/// A server in process over the built-ins and the modules of `modulePaths`, with module alerts
/// delivered as `window/showMessage` the way `scholia serve` wires them.
func makeClient(modulePaths: [String], configuration: ScholiaServer.Configuration = .init()) -> (TestClient, ModuleRegistry) {
    let events = ModuleEvents()
    let registry = ModuleLoader(events: events).registry(
        builtins: BuiltinModules.annotators(), modulePaths: modulePaths, environment: [:])
    let client = TestClient(registry: registry, configuration: configuration)
    let server = client.server!
    events.setHandlers(log: { _ in }, alert: { level, message in server.showMessage(level: level.rawValue, message) })
    return (client, registry)
}

/// The (module, kind) pairs of a `scholia/annotate` answer.
func kinds(_ answer: JSONValue) -> [String] {
    (answer["annotations"]?.arrayValue ?? []).map {
        "\($0["module"]?.stringValue ?? "?"):\($0["kind"]?.stringValue ?? "?")"
    }
}

/// A text every fault module marks ("alpha") that also holds a quotation for the built-in module.
let faultText = #"He said: "the alpha plan will work," and left."#

/// What the built-in modules alone make of `faultText` (`module:kind`, sorted): what must still
/// arrive whatever a faulty module does.
let builtinKindsOfFaultText: [String] = BuiltinModules.pipeline().run(text: faultText, language: .english)
    .annotations.map { "\($0.module):\($0.kind.rawValue)" }.sorted()


/// The names of the built-in modules, in registration order: what every registry starts with.
let builtinNames = BuiltinModules.annotators().map(\.descriptor.name)
