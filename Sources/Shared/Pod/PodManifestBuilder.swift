import Glibc

/// Turns the images of a pod and the command line's overrides into the pod manifest: app names,
/// the app sections with their environment (host < image < --set-env-file < --set-env <
/// --environment), isolators and mounts, and the volumes (an empty volume for every mount point
/// no volume serves).
public struct PodManifestBuilder {
    public let request: PodRequest

    public init(request: PodRequest) { self.request = request }

    /// `images` are the stored images of `request.apps`, in order.
    public func build(images: [ImageRecord]) throws -> PodManifest {
        let fileEnvironment = try request.environmentFiles.flatMap(Self.readEnvironmentFile)
        var apps: [RuntimeApp] = []
        var volumes = request.volumes
        for (appRequest, record) in zip(request.apps, images) {
            let manifest = try record.decodedManifest()
            try Self.checkPlatform(manifest, id: record.key)
            let name = try appRequest.name.map { try ACName($0) } ?? ACName.sanitizing(manifest.name.value.split(separator: "/").last.map(String.init) ?? manifest.name.value)
            if apps.contains(where: { $0.name == name }) { throw PodManifestError.duplicateAppName(name) }
            var app = manifest.app ?? App(uncheckedExec: nil, user: "0", group: "0")
            if manifest.app == nil && appRequest.exec == nil {
                throw PodManifestError.noApp(image: record.key)
            }
            if let exec = appRequest.exec { app.exec = [exec] + (appRequest.arguments ?? []) }
            else if let arguments = appRequest.arguments { app.exec = Array((app.exec ?? []).prefix(1)) + arguments }
            if let user = appRequest.user { app.user = user }
            if let group = appRequest.group { app.group = group }
            if let gids = appRequest.supplementaryGIDs { app.supplementaryGIDs = gids }
            if let directory = appRequest.workingDirectory { app.workingDirectory = directory }
            app.environment = try environment(image: app.environment, files: fileEnvironment, app: appRequest)
            app.isolators = try isolators(app.isolators, appRequest)
            app.userAnnotations.merge(appRequest.userAnnotations) { $1 }
            app.userLabels.merge(appRequest.userLabels) { $1 }
            do { try app.validate() } catch { throw PodManifestError.invalidApp(name, cause: error) }
            var mounts: [PodMount] = []
            for (volume, target) in request.sharedMounts + appRequest.mounts {
                mounts.append(PodMount(volume: try ACName(volume), path: target))
            }
            for mountPoint in app.mountPoints where !mounts.contains(where: { $0.path == mountPoint.path }) {
                if !volumes.contains(where: { $0.name == mountPoint.name }) {
                    volumes.append(try Volume(parsing: "\(mountPoint.name),kind=empty"))
                }
                mounts.append(PodMount(volume: mountPoint.name, path: mountPoint.path))
            }
            for mount in mounts where !volumes.contains(where: { $0.name == mount.volume }) {
                throw PodManifestError.undefinedVolume(app: name, volume: mount.volume)
            }
            let annotations = try Annotations(try appRequest.annotations.map { Annotation(name: try ACIdentifier($0.name), value: $0.value) })
            apps.append(RuntimeApp(name: name, image: RuntimeImage(name: manifest.name, id: record.id, labels: manifest.labels),
                                   app: app, readOnlyRootFS: appRequest.readOnlyRootfs, mounts: mounts, annotations: annotations))
        }
        var podAnnotations = [Annotation(name: try ACIdentifier("coreos.com/rkt/stage1/mutable"), value: "false")]
        if let limit = request.pidsLimit { podAnnotations.append(Annotation(name: try ACIdentifier(PidsLimit.annotation), value: limit)) }
        let annotations = try Annotations(podAnnotations)
        let manifest = try PodManifest(apps: apps, volumes: volumes, annotations: annotations, ports: request.ports)
        // A port no app declares is refused now, not when the pod starts (rkt's check).
        _ = try ForwardedPort.resolve(request.ports, apps: apps.map { $0.app?.ports ?? [] })
        return manifest
    }

    private func environment(image: [EnvironmentVariable], files: [(String, String)], app: AppRequest) throws -> [EnvironmentVariable] {
        var ordered: [(String, String)] = []
        func set(_ name: String, _ value: String, override: Bool) {
            if let index = ordered.firstIndex(where: { $0.0 == name }) {
                if override { ordered[index].1 = value }
            } else {
                ordered.append((name, value))
            }
        }
        for variable in image { set(variable.name, variable.value, override: true) }
        if request.inheritEnvironment {
            for entry in Self.hostEnvironment() { set(entry.0, entry.1, override: false) }
        }
        for (name, value) in files { set(name, value, override: true) }
        for (name, value) in request.setEnvironment { set(name, value, override: true) }
        for (name, value) in app.environment { set(name, value, override: true) }
        return try ordered.map { name, value in
            do { return try EnvironmentVariable(name: name, value: value) } catch { throw PodManifestError.invalidEnvironmentVariable(name, cause: error) }
        }
    }

    private func isolators(_ existing: [Isolator], _ app: AppRequest) throws -> [Isolator] {
        var isolators = existing
        func replace(_ kinds: [IsolatorKind], with isolator: Isolator) {
            isolators.removeAll { $0.kind.map(kinds.contains) ?? false }
            isolators.append(isolator)
        }
        if let memory = app.memory {
            let quantity = try Quantity(memory)
            guard quantity.value >= 4096 else { throw PodManifestError.memoryTooLow(bytes: quantity.value) }
            replace([.memory], with: try Isolator(kind: .memory, value: .object(["limit": .string(memory)])))
        }
        if let cpu = app.cpu {
            let quantity = try Quantity(cpu)
            guard quantity.milliValue >= 10 else { throw PodManifestError.cpuTooLow(cpu) }
            replace([.cpu], with: try Isolator(kind: .cpu, value: .object(["limit": .string(cpu)])))
        }
        if let shares = app.cpuShares { replace([.cpuShares], with: try Isolator(kind: .cpuShares, value: .number(String(shares)))) }
        if app.capsRetain != nil && app.capsRemove != nil {
            throw PodManifestError.conflictingCapabilities
        }
        if let retain = app.capsRetain {
            replace([.capabilitiesRetainSet, .capabilitiesRemoveSet], with: try Isolator(kind: .capabilitiesRetainSet, value: .object(["set": .array(retain.map(JSONValue.string))])))
        }
        if let remove = app.capsRemove {
            replace([.capabilitiesRetainSet, .capabilitiesRemoveSet], with: try Isolator(kind: .capabilitiesRemoveSet, value: .object(["set": .array(remove.map(JSONValue.string))])))
        }
        if let seccomp = app.seccomp {
            var mode: String?
            var errno = ""
            var syscalls: [String] = []
            for part in seccomp.split(separator: ",").map(String.init) {
                if part.hasPrefix("mode=") { mode = String(part.dropFirst(5)) }
                else if part.hasPrefix("errno=") { errno = String(part.dropFirst(6)) }
                else { syscalls.append(part) }
            }
            let kind: IsolatorKind
            switch mode {
            case "retain": kind = .seccompRetainSet
            case "remove": kind = .seccompRemoveSet
            default: throw PodManifestError.seccompMode(seccomp)
            }
            let set = try SeccompSet(syscalls: syscalls, errno: errno)
            replace([.seccompRetainSet, .seccompRemoveSet], with: try Isolator(kind: kind, value: set.json))
        }
        if let score = app.oomScoreAdj { replace([.oomScoreAdj], with: try Isolator(kind: .oomScoreAdj, value: .number(String(score)))) }
        return isolators
    }

    /// The image must be for this host: an `os` label, and a matching `arch` when given.
    static func checkPlatform(_ manifest: ImageManifest, id: String) throws {
        guard let os = manifest.labels["os"] else { throw PodManifestError.missingOS(image: id) }
        try OSArch.validate(os: os, arch: manifest.labels["arch"])
        let host = OSArch.host
        guard os == host.os else { throw PodManifestError.otherOS(os, host: host.os) }
        if let arch = manifest.labels["arch"], arch != host.arch {
            throw PodManifestError.otherArch(arch, host: host.arch)
        }
    }

    /// `NAME=VALUE` lines (`#` and `;` comments, blank lines ignored).
    static func readEnvironmentFile(_ path: String) throws -> [(String, String)] {
        let text = String(decoding: try FileIO.readFile(path, limit: 1 << 20), as: UTF8.self)
        return try text.split(separator: "\n").compactMap { line in
            let trimmed = String(line).trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { return nil }
            guard let equals = trimmed.firstIndex(of: "="), equals != trimmed.startIndex else {
                throw PodManifestError.environmentFileSyntax(path: path)
            }
            return (String(trimmed[..<equals]), String(trimmed[trimmed.index(after: equals)...]))
        }
    }

    static func hostEnvironment() -> [(String, String)] {
        var result: [(String, String)] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result.append((String(text[..<equals]), String(text[text.index(after: equals)...]))) }
            pointer += 1
        }
        return result
    }
}
