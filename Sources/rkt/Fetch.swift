import CLISupport

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch images into the store, verifying their signatures.",
        discussion: """
        IMAGE is a file (its signature IMAGE.asc beside it), an http(s) URL of an .aci (signature at \
        URL.asc), an appc name NAME[:VERSION][,LABEL=VALUE…] found by discovery, \
        docker://[REGISTRY/]IMAGE[:TAG|@DIGEST], or oci:PATH[:TAG] (an OCI layout or archive). The \
        signature is checked against the trust store for the image's name before the image is \
        stored; container images need a simple-signing --signature or --insecure-options=image. \
        Prints one image ID per image.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "A signature for the image at the same position (repeat for several images).") var signature: [String] = []
    @Flag(help: "Print the full image IDs (sha512- and 64 hex digits).") var full = false
    @Option(help: "When to fetch: new (use the store if the image is there), update, or never.") var pullPolicy = "update"
    @Argument(help: "Images to fetch.") var images: [String]

    /// `fetch`'s arguments read without ArgumentParser's reflection (`QuickArguments`): options in
    /// any order among the images; nil when ArgumentParser should read them.
    static func quickParse(_ arguments: ArraySlice<String>) -> Fetch? {
        var command = Fetch()
        var global = GlobalOptions.unset
        var (signatures, full, pullPolicy, images) = ([String](), false, "update", [String]())
        do {
            var reader = try QuickArguments(arguments)
            while let head = reader.rest.first {
                let unread = reader.rest.count
                try reader.globals(into: &global)
                if let (name, value) = try reader.option(valued: ["--signature", "--pull-policy"], flags: ["--full"]) {
                    switch name {
                    case "--signature": signatures.append(value ?? "")
                    case "--pull-policy": pullPolicy = value ?? pullPolicy
                    default: full = true
                    }
                } else if reader.rest.count == unread {
                    guard !head.hasPrefix("-") else { return nil }
                    images.append(head)
                    _ = reader.next()
                }
            }
        } catch {
            return nil
        }
        command.global = global
        command.signature = signatures
        command.full = full
        command.pullPolicy = pullPolicy
        command.images = images
        return (try? command.validate()) == nil ? nil : command
    }

    func validate() throws {
        if images.isEmpty { throw ValidationError("must provide at least one image") }
        _ = try PullPolicy(parsing: pullPolicy)
        _ = try global.insecure
    }

    func run() throws {
        global.bootstrap()
        // SIGINT and SIGTERM stop the fetch through its error path, which keeps only what can be resumed.
        Interruption.install()
        let config = try global.config()
        let fetcher = ImageFetcher(store: try ImageStore(dataDirectory: global.dataDirectory(config)), trustStore: global.trustStore,
                                   config: config, insecure: try global.insecure, pullPolicy: try PullPolicy(parsing: pullPolicy),
                                   trustKeysFromHTTPS: global.trustKeysFromHttps, limits: try TransferLimits.fromEnvironment())
        for (position, image) in images.enumerated() {
            let record: ImageRecord
            do {
                record = try fetcher.fetch(image, signature: position < signature.count ? signature[position] : nil)
            } catch {
                // Whatever failed after the signal (a system call cut short) failed because of it.
                if let signal = Interruption.signal { throw Interrupted(signal: signal) }
                throw error
            }
            Console.out(full ? record.key : record.id.short)
        }
    }
}

struct Trust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a key for image signature verification (the same as rkt-trust add).",
        discussion: "Keys are stored in the local configuration directory's trustedkeys/."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var add: TrustAdd

    func run() throws {
        global.bootstrap()
        try add.run(store: global.trustStore, autoAcceptHTTPS: global.trustKeysFromHttps)
    }
}
