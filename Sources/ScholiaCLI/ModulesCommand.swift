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

    @OptionGroup var moduleOptions: ModuleOptions

    func run() throws {
        let registry = moduleOptions.registry(events: ModuleEvents())
        if json {
            print(JSONValue.array(registry.modules.map(ScholiaServer.moduleJSON)).serializedString(indent: 2))
            for problem in registry.problems { reportError(problem) }
            return
        }
        for module in registry.modules {
            let d = module.descriptor
            print("\(d.name) \(d.version)  [\(module.status.rawValue), \(module.origin)]")
            print("    \(d.description)")
            print("    kinds: \(d.kinds.map { "\($0.kind.rawValue) (\($0.defaultSeverity.name))" }.joined(separator: ", "))")
            print("    languages: \(d.languages.map(\.rawValue).joined(separator: ", "))")
            if let error = module.currentError { print("    last error: \(error)") }
        }
        if registry.modules.isEmpty { print("no modules loaded") }
        // Manifests that could not be read have no name to be listed under; they are reported here.
        for problem in registry.problems { reportError(problem) }
    }
}
