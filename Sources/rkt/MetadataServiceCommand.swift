import CLISupport
import Glibc

/// `rkt metadata-service`: serves the appc metadata API to pods registered with `--mds-register`,
/// in the foreground, until SIGINT or SIGTERM.
struct MetadataServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata-service",
        abstract: "Run the metadata service (AC_METADATA_URL of pods run with --mds-register).",
        discussion: """
        Apps reach it on the TCP port; rkt run registers pods over the unix socket \(MetadataService.defaultSocket) \
        (RKT_METADATA_SOCKET overrides it). With --listen-port=0 the kernel picks the port, printed on standard output.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The TCP port apps reach the service on (0: any free port, printed).") var listenPort = MetadataServiceURL.defaultPort

    func run() throws {
        global.bootstrap()
        guard geteuid() == 0 else { throw CommandFailure.message("cannot run as unprivileged user") }
        guard (0...65535).contains(listenPort) else { throw ValidationError("--listen-port must be between 0 and 65535") }
        // Before the servers' threads start: they inherit the blocked signals, which only `run` takes.
        let signals = try SignalDescriptor([SIGINT, SIGTERM])
        let service: MetadataService
        do {
            service = try MetadataService(port: listenPort, socket: MetadataService.socketPath)
        } catch {
            throw CommandFailure.message("\(error)")
        }
        if listenPort == 0 { Console.out(String(service.port)) }
        Console.error("metadata service running on port \(service.port), registrations on \(service.socket)")
        service.run(signals: signals) { Console.error($0) }
        Console.error("metadata service exiting")
    }
}
