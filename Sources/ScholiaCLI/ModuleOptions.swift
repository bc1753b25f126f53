import AnnotationModel
import ArgumentParser
import BuiltinModules
import Foundation
import ModuleHost

/// `--module-path DIR` (repeatable), shared by `serve`, `annotate` and `modules`.
struct ModuleOptions: ParsableArguments {
    @Option(
        name: .customLong("module-path"),
        help: ArgumentHelp(
            "A directory of custom modules (each a folder with a module.json); repeatable. Searched after the built-ins, "
                + "before $XDG_DATA_HOME/scholia/modules.",
            valueName: "DIR"))
    var modulePaths: [String] = []

    func loader(events: ModuleEvents) -> ModuleLoader {
        ModuleLoader(events: events)
    }

    /// The registry of this run: built-ins, then `--module-path` directories, then the user's.
    func registry(events: ModuleEvents) -> ModuleRegistry {
        registry(loader: loader(events: events))
    }

    func registry(loader: ModuleLoader) -> ModuleRegistry {
        loader.registry(
            builtins: BuiltinModules.annotators(),
            modulePaths: modulePaths.map(Self.absolute),
            environment: ProcessInfo.processInfo.environment)
    }

    /// Module paths are kept absolute so that a process module's working directory does not depend
    /// on where scholia was started.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
