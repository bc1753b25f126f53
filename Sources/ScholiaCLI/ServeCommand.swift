import ArgumentParser
import BuiltinModules
import Foundation
import JSONRPC
import ModuleHost
import Server
import Synchronization

/// `scholia serve`: the JSON-RPC server on standard input and output, as an editor starts it.
///
/// This file only wires the pieces: the connection frames bytes, the server answers messages,
/// and the process exits with the code the server decides (0 after `shutdown` then `exit`).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the JSON-RPC annotation server on standard input and output.",
        discussion: """
            Speaks the LSP base protocol (Content-Length headers) or, when the first byte is '{' or '[', \
            newline-delimited JSON. See protocol.md. Log lines go to standard error.
            """
    )

    @Option(name: .customLong("max-message-size"), help: "Largest message accepted, in bytes; larger ones get an error without being read into memory.")
    var maxMessageSize: Int = 64 << 20

    @Option(help: "Language for every document: auto (detected per document), en or ar. A client may still override it.")
    var language: LanguageOption = .auto

    @Flag(help: "Write a log line to standard error for every message received.")
    var verbose = false

    @OptionGroup var moduleOptions: ModuleOptions

    func validate() throws {
        guard maxMessageSize >= 1024 else { throw ValidationError("--max-message-size must be at least 1024 bytes") }
    }

    func run() throws {
        #if os(Linux)
        // A publish of a large document's diagnostics is megabytes: a 1 MiB pipe (the unprivileged
        // limit) instead of 64 KiB lets it through in a few writes, not dozens of round trips with
        // the reader. F_SETPIPE_SZ is 1031; it fails harmlessly when the output is not a pipe.
        _ = fcntl(STDOUT_FILENO, 1031, Int32(1 << 20))
        #endif
        let connection: Connection
        do {
            connection = try Connection(input: STDIN_FILENO, output: STDOUT_FILENO, maxMessageSize: maxMessageSize)
        } catch {
            throw ValidationError("cannot start the connection: \(error)")
        }
        let exitCode = Mutex<Int32?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let events = ModuleEvents()
        let loader = moduleOptions.loader(events: events)
        let registry = moduleOptions.registry(loader: loader)
        let server = ScholiaServer(
            configuration: ScholiaServer.Configuration(
                language: language.language,
                loadWorkspaceModules: { root, registry in loader.addWorkspaceModules(root: root, into: &registry) }),
            registry: registry,
            send: { outbound in
                switch outbound {
                case .message(let message): connection.send(message)
                case .batch(let messages): connection.send(batch: messages)
                case .serialized(let body): connection.send(serialized: body)
                }
            },
            log: { line in FileHandle.standardError.write(Data("scholia: \(line)\n".utf8)) },
            onExit: { code in
                exitCode.withLock { $0 = $0 ?? code }
                finished.signal()
            }
        )
        // A module's crash is logged and shown to the user once (window/showMessage).
        events.setHandlers(
            log: { line in FileHandle.standardError.write(Data("scholia: \(line)\n".utf8)) },
            alert: { level, message in server.showMessage(level: level.rawValue, message) })
        for problem in registry.problems { FileHandle.standardError.write(Data("scholia: \(problem)\n".utf8)) }
        let verbose = self.verbose
        connection.start { item in
            switch item {
            case .payload(let payload):
                if verbose { FileHandle.standardError.write(Data("scholia: received \(payload)\n".utf8)) }
                server.receive(payload)
            case .invalidPayload(let error):
                server.receiveUnreadableFrame(code: error.code, message: error.message)
            case .framingError(let error):
                server.receiveUnreadableFrame(code: error.rpcError.code, message: error.message)
            case .endOfInput:
                server.endOfInput()
            }
        }
        finished.wait()
        // Replies already queued (the answer to `shutdown`, a last diagnostic) are written by then:
        // sends are synchronous. Close so a blocked reader does not keep the process alive.
        connection.close()
        // Process modules end with the server (a no-op for those already stopped by `shutdown`).
        server.shutdownModules()
        // Exit here rather than throwing ExitCode: nothing else may be written to standard output.
        Foundation.exit(exitCode.withLock { $0 } ?? 1)
    }
}
