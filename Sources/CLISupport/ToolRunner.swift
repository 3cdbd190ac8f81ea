@_exported import ArgumentParser
import Glibc
@_exported import Shared

/// The entry point shared by the suite's executables: parses the command line, runs the command,
/// and turns every outcome into the tool's exit-code convention. Results go to standard output,
/// diagnostics to standard error as `<command>: <message>`.
public enum ToolRunner {
    /// The exit codes of one tool.
    public struct ExitCodes: Sendable {
        public var failure: Int32
        public var usage: Int32

        public init(failure: Int32, usage: Int32) {
            self.failure = failure
            self.usage = usage
        }
    }

    /// Runs the command `arguments` name; `parsed` is that command already read by the tool's own
    /// means (a hot path that avoids ArgumentParser's reflection), nil to let ArgumentParser read it.
    public static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String], codes: ExitCodes,
                                                  parsed: ParsableCommand? = nil) -> Never {
        Heap.reuseFreedBuffers()
        var command: ParsableCommand
        do {
            command = try parsed ?? Root.parseAsRoot(arguments)
        } catch {
            let code = Root.exitCode(for: error)
            if code == .success {
                Console.out(Root.fullMessage(for: error))
                exit(0)
            }
            Console.error(Root.fullMessage(for: error))
            exit(codes.usage)
        }
        let name = type(of: command)._commandName
        do {
            try command.run()
            exit(0)
        } catch let exitCode as ExitCode {
            exit(exitCode.rawValue)
        } catch CommandFailure.reported {
            exit(codes.failure)
        } catch {
            // Help requests and usage errors raised while running come from ArgumentParser.
            switch Root.exitCode(for: error) {
            case .success:
                Console.out(Root.fullMessage(for: error))
                exit(0)
            case .validationFailure:
                // Found while running (flags read by the command itself): "<command>: message".
                Console.error("\(name): \(Root.message(for: error))")
                exit(codes.usage)
            default:
                Console.error("\(name): \(error)")
                exit(codes.failure)
            }
        }
    }
}
