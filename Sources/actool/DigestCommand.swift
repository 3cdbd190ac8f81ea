import CLISupport

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the content digests of files, as OCI descriptors name them.",
        discussion: "Prints ALGORITHM:HEX  FILE per file (- for standard input), hashing with OpenSSL."
    )

    @Option(help: "sha256, sha384 or sha512.") var algorithm: DigestAlgorithm = .sha256
    @Argument(help: "Files to hash.") var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file") }
    }

    func run() throws {
        for file in files {
            let digest = try ContentHasher.hex(algorithm, ofFile: file)
            Console.out("\(algorithm.rawValue):\(digest)  \(file)")
        }
    }
}

extension DigestAlgorithm: ExpressibleByArgument {}
