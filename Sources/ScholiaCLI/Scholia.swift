import ArgumentParser
import Foundation

/// The `scholia` command. Errors in the command line are reported on one line, as the README
/// promises scripts (ArgumentParser's own report spans several).
@main
struct Scholia: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scholia",
        abstract: "Annotates news prose with its sources, hedges and quotations.",
        discussion: "Run 'scholia serve' for the JSON-RPC server (an editor attaches over stdio), "
            + "or 'scholia annotate FILE' to annotate files from the shell.",
        version: ScholiaCLIVersion.current,
        subcommands: [
            ServeCommand.self, AnnotateCommand.self, ModulesCommand.self, EvalCommand.self, NewModuleCommand.self,
            TestModuleCommand.self,
        ]
    )

    static func main() {
        // A client that goes away must not kill the process mid-write; writes report EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else if error is ExitCode {
                // Already reported by the command itself.
            } else {
                var message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
                if message.isEmpty { message = "\(error)" }
                FileHandle.standardError.write(Data("scholia: \(message) (see 'scholia help')\n".utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}

enum ScholiaCLIVersion {
    static let current = "0.1.0"
}

/// Writes one line to standard error.
func reportError(_ message: String) {
    FileHandle.standardError.write(Data("scholia: \(message)\n".utf8))
}
