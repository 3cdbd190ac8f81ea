import Glibc
import Stage1Kit

// The built-in stage1: one binary, entered as `run`, `enter`, `stop` or `gc` (symlinks in the
// stage1 image's rootfs); the flavor is in the `flavor` file beside it.
let arguments = CommandLine.arguments
// Stage1 needs nothing of its caller's environment, and what it starts in a pod shares its memory
// until its exec: the caller's variables must not be there to read.
Environment.clear()
// The pod's metadata service token is its identity: not for other users' `ps`.
Environment.hideArguments(withPrefix: "--mds-token=")
let entrypoint = arguments[0].split(separator: "/").last.map(String.init) ?? arguments[0]

func flavor() -> Flavor {
    let path = (try? FileIO.link("/proc/self/exe")) ?? ""
    let directory = path[..<(path.lastIndex(of: "/") ?? path.startIndex)]
    let text = (try? FileIO.readFile("\(directory)/flavor")).map { String(decoding: $0, as: UTF8.self) } ?? "ns"
    return Flavor(rawValue: text.split(separator: "\n").first.map(String.init) ?? "ns") ?? .ns
}

do {
    let rest = Array(arguments.dropFirst())
    let code: Int32
    switch entrypoint {
    case "run": code = try Stage1Entrypoints.run(flavor: flavor(), arguments: rest)
    case "enter": code = try Stage1Entrypoints.enter(arguments: rest)
    case "stop": code = try Stage1Entrypoints.stop(arguments: rest)
    case "gc": code = try Stage1Entrypoints.collect(arguments: rest)
    default:
        logError("unknown entrypoint \(entrypoint) (run, enter, stop, gc)")
        code = 254
    }
    exit(code)
} catch {
    logError("\(error)")
    exit(254)
}
