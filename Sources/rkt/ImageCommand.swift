import CLISupport
import Glibc

struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Operate on the image store.",
        discussion: "IMAGE is a full or short image ID (sha512-…) or a name[:version] (the newest import wins).",
        subcommands: [ImageList.self, ImageRemove.self, ImageExport.self, ImageExtract.self, ImageRender.self,
                      ImageCatManifest.self, ImageGC.self, ImageVerify.self, Fetch.self]
    )
}

struct ImageList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored images.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Columns: id, name, size, importtime, lastused.") var fields = "id,name,size,importtime,lastused"
    @Option(help: "Sort by name, importtime, lastused or size.") var sort = "importtime"
    @Option(help: "asc or desc.") var order = "asc"
    @Flag(help: "Omit the header.") var noLegend = false
    @Flag(help: "Full IDs, exact sizes and absolute times.") var full = false
    @Option(help: "json or json-pretty instead of a table.") var format: String?

    func run() throws {
        let listing = try ImageListing(fields: fields, sort: sort, order: order)
        let records = try global.store().images()
        if let format {
            guard format == "json" || format == "json-pretty" else { throw ValidationError("--format must be json or json-pretty") }
            Console.out(bytes: listing.json(records, pretty: format == "json-pretty") + [0x0A])
        } else {
            Console.out(listing.table(records, legend: !noLegend, full: full), terminator: "")
        }
    }
}

struct ImageRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove images from the store.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Images (IDs or names).") var images: [String]

    func run() throws {
        let store = try global.store()
        let treesInUse = try global.podRegistry().treesInUse()
        var failed = false
        // Every argument is resolved first, so a name and an ID of the same image remove it once.
        var keys: [String] = []
        for image in images {
            do {
                let key = try store.resolve(image).key
                if !keys.contains(key) { keys.append(key) }
            } catch {
                Console.error("rm: \(error)")
                failed = true
            }
        }
        var removed: [String] = []
        for key in keys {
            do {
                try store.remove(key, keepingTrees: treesInUse)
                removed.append(key)
                Console.out("successfully removed aci for image: \(quoted(key))")
            } catch {
                Console.error("rm: \(error)")
                failed = true
            }
        }
        if !removed.isEmpty { Console.error("rm: \(removed.count) image(s) successfully removed") }
        if failed { throw CommandFailure.reported }
    }
}

struct ImageExport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a stored image as an (uncompressed) ACI, byte for byte.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Overwrite the output file.") var overwrite = false
    @Argument(help: "The image.") var image: String
    @Argument(help: "The ACI to write.") var output: String

    func run() throws {
        let store = try global.store()
        let record = try store.resolve(image)
        try ImageExtraction.export(store: store, record: record, to: output, overwrite: overwrite)
    }
}

struct ImageExtract: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Extract a stored image into a directory.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Extract the rootfs only (not the manifest).") var rootfsOnly = false
    @Flag(help: "Replace the directory if it exists.") var overwrite = false
    @Argument(help: "The image.") var image: String
    @Argument(help: "The directory to create.") var directory: String

    func run() throws {
        let store = try global.store()
        try ImageExtraction.extract(store: store, record: try store.resolve(image), to: directory, rootfsOnly: rootfsOnly,
                                    overwrite: overwrite, rendered: false)
    }
}

struct ImageRender: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Write an image with its dependencies applied into a directory.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Write the rootfs only (not the manifest).") var rootfsOnly = false
    @Flag(help: "Replace the directory if it exists.") var overwrite = false
    @Argument(help: "The image.") var image: String
    @Argument(help: "The directory to create.") var directory: String

    func run() throws {
        let store = try global.store()
        try ImageExtraction.extract(store: store, record: try store.resolve(image), to: directory, rootfsOnly: rootfsOnly,
                                    overwrite: overwrite, rendered: true)
    }
}

struct ImageCatManifest: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat-manifest", abstract: "Print a stored image's manifest.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Indent the manifest (true, the default) or print it exactly as stored (false).") var prettyPrint = "true"
    @Argument(help: "The image.") var image: String

    func run() throws {
        let record = try global.store().resolve(image)
        if try KeyValueString.bool(prettyPrint) {
            Console.out(bytes: JSONWriter.indented(try record.decodedManifest().json, indent: "\t") + [0x0A])
        } else {
            Console.out(bytes: Array(record.manifest) + [0x0A])
        }
    }
}

struct ImageGC: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Remove images not used for the grace period, and orphaned trees.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Keep images used within this duration (24h, 30m, 0).") var gracePeriod = "24h"

    func run() throws {
        let store = try global.store()
        let pods = try global.podRegistry()
        let collected = try store.collectGarbage(gracePeriod: try GoDuration.seconds(gracePeriod), inUse: try pods.imagesInUse(),
                                                 treesInUse: try pods.treesInUse())
        for tree in collected.trees { Console.out("removed treestore \(quoted(tree))") }
        for record in collected.images { Console.out("successfully removed aci for image: \(quoted(record.key))") }
        for blob in collected.orphanBlobs { Console.out("removed orphaned blob \(quoted(blob))") }
        for leftover in collected.abandoned { Console.out("removed leftover of an interrupted fetch \(quoted(leftover))") }
        Console.error("gc: \(collected.images.count) image(s) successfully removed")
    }
}

struct ImageVerify: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check stored images' rendered trees, rebuilding damaged ones.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Images.") var images: [String]

    func run() throws {
        let store = try global.store()
        for image in images {
            let record = try store.resolve(image)
            switch try store.verifyTree(record) {
            case .intact: Console.out("successfully verified checksum for image: \(quoted(image)) (\(quoted(record.key)))")
            case .notRendered: Console.out("image \(quoted(image)) not rendered; no verification needed")
            case .rebuilt: Console.out("tree cache verification failed for image \(quoted(image)); rebuilt")
            }
        }
    }
}
