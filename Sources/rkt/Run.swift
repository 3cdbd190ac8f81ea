import CLISupport
import Glibc

/// What run, prepare and the pod commands share: the store, the fetcher, the pods.
struct RktContext {
    let global: GlobalOptions
    let config: RktConfig
    let store: ImageStore
    let registry: PodRegistry

    init(_ global: GlobalOptions, requireRoot: Bool) throws {
        if requireRoot && geteuid() != 0 { throw CommandFailure.message("cannot run as unprivileged user") }
        self.global = global
        config = try global.config()
        let data = global.dataDirectory(config)
        store = try ImageStore(dataDirectory: data)
        registry = try PodRegistry(dataDirectory: data)
    }

    func fetcher(pullPolicy: PullPolicy) throws -> ImageFetcher {
        ImageFetcher(store: store, trustStore: global.trustStore, config: config, insecure: try global.insecure,
                     pullPolicy: pullPolicy, trustKeysFromHTTPS: global.trustKeysFromHttps, limits: try TransferLimits.fromEnvironment())
    }

    func preparer(pullPolicy: PullPolicy) throws -> PodPreparer {
        let fetcher = try fetcher(pullPolicy: pullPolicy)
        let executable = CommandLine.executablePath
        let tools = String(executable[..<(executable.lastIndex(of: "/") ?? executable.startIndex)])
        return PodPreparer(fetcher: fetcher, registry: registry, stage1Images: Stage1Images(fetcher: fetcher, toolsDirectory: tools))
    }

    /// Prepares the pod (fetching its images) and stops cleanly on SIGINT or SIGTERM: a download
    /// keeps only what can be resumed, and a pod asked to stop before it started is not started
    /// (its directory stays as an aborted prepare, for `rkt gc`).
    func prepare(_ request: PodRequest, pullPolicy: PullPolicy) throws -> (pod: Pod, lock: PodLock) {
        Interruption.install()
        do {
            let prepared = try preparer(pullPolicy: pullPolicy).prepare(request)
            try Interruption.check()
            return prepared
        } catch {
            // Whatever failed after the signal (a system call cut short) failed because of it.
            if let signal = Interruption.signal { throw Interrupted(signal: signal) }
            throw error
        }
    }

    func launchOptions(network: NetworkSelection, interactive: Bool, hostname: String?, dns: DNSConfiguration) throws -> PodLauncher.Options {
        var options = PodLauncher.Options(localConfig: global.localConfig, insecure: try global.insecure)
        options.debug = global.debug
        options.systemConfig = global.systemConfig
        options.network = network
        options.interactive = interactive
        options.hostname = hostname
        options.dns = dns
        return options
    }

    /// `--mds-register`'s client, once the metadata service answers (before anything is fetched);
    /// refused on `--net=none`, where apps could not reach it.
    func metadataClient(register: Bool, network: NetworkSelection) throws -> MetadataClient? {
        guard register else { return nil }
        if network.isNone { throw CommandFailure.message("--mds-register: a pod on --net=none cannot reach the metadata service") }
        let client = MetadataClient()
        try client.checkAvailable()
        return client
    }

    /// The default stage1 from stage1.d, or the built-in ns flavor.
    func stage1(_ selection: Stage1Selection, explicit: Bool) -> Stage1Selection {
        guard !explicit, let configured = config.stage1 else { return selection }
        return .configured(name: configured.name, version: configured.version, location: configured.location)
    }
}

extension CommandLine {
    /// The path of the running executable.
    static var executablePath: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return String(decoding: buffer[..<max(count, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run images as a pod.",
        discussion: """
        rkt run [POD FLAGS] IMAGE [APP FLAGS] [-- APP ARGS… [---]] [IMAGE …]. Pod flags: --stage1-path|-url|-name|-hash|-from-dir, \
        --net=NET[:ARGS][,NET…] (default; default-restricted, all, host, none, or a network of net.d), \
        --port=NAME:[HOSTIP:]HOSTPORT, --hostname, --dns, --hosts-entry, --interactive, --inherit-env, --set-env=K=V, --set-env-file, \
        --volume NAME,kind=host|empty,…, --mount volume=V,target=P (all apps), --no-overlay, --pod-manifest, --uuid-file-save, \
        --pull-policy, --mds-register (AC_METADATA_URL from rkt metadata-service), --pids-limit=N (processes and threads of the pod, default 4096; 0: none). App flags (after their image): --exec, --name, --user, --group, --supplementary-gids, --working-dir, \
        --readonly-rootfs, --environment=K=V, --mount, --memory, --cpu, --cpu-shares, --caps-retain, --caps-remove, --seccomp, \
        --oom-score-adj, --signature, --annotation. Exits with the first failing app's code.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(parsing: .captureForPassthrough, help: "Pod flags, images and app flags.") var arguments: [String] = []

    /// `run`'s arguments (after the command's name) read without ArgumentParser's reflection
    /// (`QuickArguments`): the global options, then everything for `RunArguments`; nil when
    /// ArgumentParser should read them.
    static func quickParse(_ arguments: ArraySlice<String>) -> Run? {
        var global = GlobalOptions.unset
        guard var reader = try? QuickArguments(arguments), (try? reader.globals(into: &global)) != nil else { return nil }
        var command = Run()
        command.global = global
        command.arguments = Array(reader.rest)
        return command
    }

    func run() throws {
        if RunArguments.asksForHelp(arguments) { throw CleanExit.helpRequest(self) }
        global.bootstrap()
        let parsed = try RunArguments(arguments, allowsRunFlags: true)
        let context = try RktContext(global, requireRoot: true)
        var options = try context.launchOptions(network: try parsed.network, interactive: parsed.interactive, hostname: parsed.hostname,
                                                dns: parsed.dns)
        let metadata = try context.metadataClient(register: parsed.metadataRegister, network: try parsed.network)
        var request = parsed.request
        request.stage1 = context.stage1(request.stage1, explicit: !parsed.stage1Flags.isEmpty)
        let (pod, lock) = try context.prepare(request, pullPolicy: parsed.pullPolicy)
        if let path = parsed.uuidFileSave { try FileIO.writeFile(path, Array("\(pod.uuid)\n".utf8)) }
        options.metadata = try metadata?.register(pod)
        guard let running = try context.registry.move(pod, to: .running) else { throw CommandFailure.message("pod \(pod.uuid) vanished") }
        try PodLauncher.execute(running, lock: lock, options: options)
    }
}

struct Prepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Prepare a pod to run later with run-prepared; prints its UUID.",
        discussion: "Takes the image, app and pod flags of rkt run except the run-time ones (--net, --interactive, --hostname, --dns, --hosts-entry)."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print only the UUID.") var quiet = false
    @Argument(parsing: .captureForPassthrough, help: "Pod flags, images and app flags.") var arguments: [String] = []

    func run() throws {
        if RunArguments.asksForHelp(arguments) { throw CleanExit.helpRequest(self) }
        global.bootstrap()
        let parsed = try RunArguments(arguments.filter { $0 != "--quiet" }, allowsRunFlags: false)
        let context = try RktContext(global, requireRoot: true)
        var request = parsed.request
        request.stage1 = context.stage1(request.stage1, explicit: !parsed.stage1Flags.isEmpty)
        let (pod, lock) = try context.prepare(request, pullPolicy: parsed.pullPolicy)
        if let path = parsed.uuidFileSave { try FileIO.writeFile(path, Array("\(pod.uuid)\n".utf8)) }
        guard try context.registry.move(pod, to: .prepared) != nil else { throw CommandFailure.message("pod \(pod.uuid) vanished") }
        withExtendedLifetime(lock) {}
        Console.out(pod.uuid.description)
    }
}

struct RunPrepared: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run-prepared", abstract: "Run a prepared pod.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The networks to join: default, default-restricted, all, host, none or a network of net.d (NET[:CNI_ARGS][,NET…]).") var net: [String] = []
    @Flag(help: "Attach the app to this terminal (one-app pods).") var interactive = false
    @Option(help: "The pod's hostname.") var hostname: String?
    @Option(help: "Name servers (IP[,IP]), host (the host's resolv.conf) or none (the image's own).") var dns: [String] = []
    @Option(help: "DNS search domains (D[,D]).") var dnsSearch: [String] = []
    @Option(help: "Resolver options (O[,O]).") var dnsOpt: [String] = []
    @Option(help: "The DNS domain.") var dnsDomain: String?
    @Option(help: "Extra /etc/hosts entries (IP=HOST[,…]), or host (the host's /etc/hosts).") var hostsEntry: [String] = []
    @Option(help: "The pod's IPC namespace: auto or private (always its own).") var ipc = "auto"
    @Option(help: "Register the pod with the metadata service (rkt metadata-service): its apps get AC_METADATA_URL.") var mdsRegister = false
    @Argument(help: "The pod's UUID (or a unique prefix).") var uuid: String

    func run() throws {
        global.bootstrap()
        try RunArguments.checkIPC(ipc)
        var resolution = DNSConfiguration()
        for (flag, values) in [("--dns", dns), ("--dns-search", dnsSearch), ("--dns-opt", dnsOpt), ("--dns-domain", dnsDomain.map { [$0] } ?? []),
                               ("--hosts-entry", hostsEntry)] {
            for value in values { try resolution.apply(flag, value) }
        }
        let context = try RktContext(global, requireRoot: true)
        let network: NetworkSelection
        do { network = try NetworkSelection(net) } catch { throw ValidationError("--net: \(error)") }
        var options = try context.launchOptions(network: network, interactive: interactive, hostname: hostname, dns: resolution)
        let metadata = try context.metadataClient(register: mdsRegister, network: network)
        let pod = try context.registry.resolve(uuid)
        try RunArguments.checkPorts(try pod.manifest().ports ?? [], network: network)
        guard pod.state == .prepared else { throw CommandFailure.message("pod \(quoted(pod.uuid.description)) is not prepared") }
        let lock = try PodLock(directory: pod.directory)
        guard try lock.tryLock() else { throw CommandFailure.message("pod \(quoted(pod.uuid.description)) is in use") }
        if interactive, (try pod.manifest().apps ?? []).count > 1 { throw CommandFailure.message("interactive option only supports pods with one app") }
        options.metadata = try metadata?.register(pod)
        guard let running = try context.registry.move(pod, to: .running) else { throw CommandFailure.message("pod \(pod.uuid) vanished") }
        try PodLauncher.execute(running, lock: lock, options: options)
    }
}
