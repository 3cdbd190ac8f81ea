import CLISupport

struct PatchManifest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch-manifest",
        abstract: "Copy an ACI and patch its manifest.",
        discussion: """
        Every member is copied as it is except the manifest, which is replaced by --manifest FILE or \
        edited by the other flags. The new manifest is validated before anything is written, and the \
        output appears only when complete (with --replace, the input is replaced atomically).
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Overwrite the output file if it exists.") var overwrite = false
    @Flag(help: "Do not gzip-compress the produced ACI.") var noCompression = false
    @Flag(help: "Replace the input file.") var replace = false
    @Option(help: "Replace the image manifest with this file. Incompatible with other edit options.") var manifest: String?
    @Option(help: "Replace the name (example.com/app).") var name: String?
    @Option(help: "Replace the command line (\"/app --debug\"), split on spaces.") var exec: String?
    @Option(help: "Replace the user (uid or name).") var user: String?
    @Option(help: "Replace the group (gid or name).") var group: String?
    @Option(help: "Replace the supplementary groups: gid1,gid2,…") var supplementaryGroups: String?
    @Option(help: "Set the capability retain set: CAP_NET_BIND_SERVICE,…") var capability: String?
    @Option(help: "Set the capability remove set: CAP_SYS_CHROOT,…") var revokeCapability: String?
    @Option(help: "Add mount points: NAME,path=/p[,readOnly=true][:NAME2,…]") var mounts: String?
    @Option(help: "Add ports: NAME,protocol=tcp,port=N[,count=N][,socketActivated=true][:…]") var ports: String?
    @Option(help: "Add isolators: resource/cpu,request=50m,limit=100m[:os/linux/no-new-privileges,true:…]") var isolators: String?
    @Option(help: "Set the seccomp mode: remove|retain[,errno=EPERM]") var seccompMode: String?
    @Option(help: "Set the seccomp syscall set: syscall1,syscall2,…") var seccompSet: String?
    @Argument(help: "The image to patch.") var inputFile: String
    @Argument(help: "The image to write (must end in .aci); omitted with --replace.") var outputFile: String?

    private var patch: ManifestPatch {
        var patch = ManifestPatch()
        patch.name = name
        patch.exec = exec
        patch.user = user
        patch.group = group
        patch.supplementaryGroups = supplementaryGroups
        patch.capability = capability
        patch.revokeCapability = revokeCapability
        patch.mounts = mounts
        patch.ports = ports
        patch.isolators = isolators
        patch.seccompMode = seccompMode
        patch.seccompSet = seccompSet
        return patch
    }

    func validate() throws {
        if replace && overwrite { throw ValidationError("Cannot use both --replace and --overwrite") }
        if !replace && outputFile == nil { throw ValidationError("Must provide input and output files (or use --replace)") }
        if replace && outputFile != nil { throw ValidationError("Must provide one file with --replace") }
        if replace && inputFile == "-" { throw ValidationError("--replace needs a file, not standard input") }
        let edits: [String?] = [name, exec, user, group, supplementaryGroups, capability, revokeCapability, mounts, ports,
                                isolators, seccompMode, seccompSet]
        if manifest != nil && edits.contains(where: { $0 != nil }) {
            throw ValidationError("--manifest is incompatible with other manifest editing options")
        }
    }

    func run() throws {
        global.bootstrap()
        let target = outputFile ?? inputFile
        if !replace && target != "-" && !target.hasSuffix(".aci") {
            throw CommandFailure.message("Extension must be .aci (given \(extensionOf(target)))")
        }
        let replacement = try manifest.map(Self.readManifest)
        let input = try InputFile(path: inputFile)
        let output: AtomicOutput
        do {
            output = try AtomicOutput(path: target, overwrite: overwrite || replace)
        } catch is AtomicOutput.ExistsError {
            throw CommandFailure.message("Output file exists (try --overwrite)")
        }
        let writer = try ArchiveWriter(sink: FileSink(fileDescriptor: output.fileDescriptor, name: target),
                                       compression: noCompression ? .none : .gzip, name: target)
        let patch = self.patch
        do {
            try ImageRewriter.rewrite(try input.archiveReader(), to: writer) { _, manifest in
                if let replacement { return replacement }
                var edited = manifest
                try patch.apply(to: &edited)
                let bytes = edited.compactJSON
                _ = try ImageManifest.decode(bytes)
                return bytes
            }
        } catch {
            throw CommandFailure.message("Unable to patch \(inputFile): \(error)")
        }
        try output.commit()
    }

    /// A replacement manifest: validated, then used byte for byte.
    private static func readManifest(_ path: String) throws -> [UInt8] {
        let bytes = try FileIO.readFile(path, limit: ImageManifest.maximumSize)
        do {
            _ = try ImageManifest.decode(bytes)
        } catch {
            throw CommandFailure.message("--manifest \(path): invalid ImageManifest: \(error)")
        }
        return bytes
    }
}
