import ArgumentParser
import BuiltinModules
import JSON
import ModuleHost
import Server

struct ModulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modules", abstract: "List the annotation modules: name, version, kinds, languages, origin, status.")

    @Flag(help: "Print JSON (the same objects as the 'scholia/modules' request) instead of a table.")
    var json = false

    func run() throws {
        let registry = ModuleRegistry(builtins: BuiltinModules.annotators())
        if json {
            print(JSONValue.array(registry.modules.map(ScholiaServer.moduleJSON)).serializedString(indent: 2))
            return
        }
        for module in registry.modules {
            let d = module.descriptor
            print("\(d.name) \(d.version)  [\(module.status.rawValue), \(module.origin)]")
            print("    \(d.description)")
            print("    kinds: \(d.kinds.map { "\($0.kind.rawValue) (\($0.defaultSeverity.name))" }.joined(separator: ", "))")
            print("    languages: \(d.languages.map(\.rawValue).joined(separator: ", "))")
            if let error = module.lastError { print("    last error: \(error)") }
        }
        if registry.modules.isEmpty { print("no modules loaded") }
    }
}
