import Logging

/// Maps between an appc image manifest and an OCI image config, both ways:
/// exec ↔ Entrypoint (+ Cmd), environment ↔ Env, user/group ↔ User, workingDirectory ↔
/// WorkingDir, ports ↔ ExposedPorts, mountPoints ↔ Volumes, annotations and labels ↔ Labels,
/// os/arch labels ↔ os/architecture/variant, the version label ↔ the tag.
public enum ImageConfigMapping {
    /// The OCI config of an appc image whose single layer has `diffID`.
    public static func imageConfig(from manifest: ImageManifest, diffIDs: [Digest]) -> ImageConfig {
        var run = ImageConfig.RunConfig()
        if let app = manifest.app {
            run.entrypoint = app.exec
            run.env = app.environment.map { "\($0.name)=\($0.value)" }
            run.user = "\(app.user):\(app.group)"
            run.workingDir = app.workingDirectory.isEmpty ? nil : app.workingDirectory
            run.exposedPorts = app.ports.flatMap { port in
                (0..<max(port.count, 1)).map { "\(port.port + $0)/\(port.protocol.isEmpty ? "tcp" : port.protocol)" }
            }
            run.volumes = app.mountPoints.map(\.path)
        }
        for annotation in manifest.annotations { run.labels[annotation.name.value] = annotation.value }
        // os and arch become the platform, version the tag: repeating them as labels would come
        // back from a round trip as annotations the image never had.
        for label in manifest.labels where !["os", "arch", "version"].contains(label.name.value) {
            run.labels[label.name.value] = label.value
        }
        let os = manifest.labels["os"] ?? OSArch.host.os
        let go = manifest.labels["arch"].flatMap(OSArch.goArch(fromAppc:)) ?? (Platform.host.architecture, Platform.host.variant)
        return ImageConfig(os: os, architecture: go.arch, variant: go.variant, config: run, diffIDs: diffIDs,
                           created: manifest.annotations["created"])
    }

    /// The appc manifest of an OCI image. Values appc cannot express (environment names outside
    /// its grammar, ports that are not numbers) are left out with a warning.
    public static func imageManifest(from config: ImageConfig, name: ACIdentifier, version: String?) throws -> ImageManifest {
        let log = Logger(label: "")
        var labels: [Label] = []
        if let version, !version.isEmpty { labels.append(Label(name: try ACIdentifier("version"), value: version)) }
        labels.append(Label(name: try ACIdentifier("os"), value: config.os))
        if let arch = OSArch.appcArch(fromGo: config.architecture, variant: config.variant) {
            labels.append(Label(name: try ACIdentifier("arch"), value: arch))
        } else {
            log.warning("warning: architecture \(config.architecture) has no appc name; no arch label")
        }
        let run = config.config
        let exec = (run.entrypoint ?? []) + (run.cmd ?? [])
        var app: App?
        if !exec.isEmpty {
            let (user, group) = userAndGroup(run.user)
            var environment: [EnvironmentVariable] = []
            for entry in run.env {
                let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                guard let variable = try? EnvironmentVariable(name: name, value: parts.count > 1 ? String(parts[1]) : ""),
                      !environment.contains(where: { $0.name == name })
                else {
                    log.warning("warning: environment variable \(quoted(name)) cannot be expressed in appc; left out")
                    continue
                }
                environment.append(variable)
            }
            var ports: [Port] = []
            for exposed in run.exposedPorts.sorted() {
                let parts = exposed.split(separator: "/")
                guard let number = parts.first.flatMap({ UInt($0) }),
                      let port = try? Port(name: ACName.sanitizing("\(number)-\(parts.count > 1 ? parts[1] : "tcp")"),
                                           protocol: parts.count > 1 ? String(parts[1]) : "tcp", port: number)
                else {
                    log.warning("warning: exposed port \(quoted(exposed)) cannot be expressed in appc; left out")
                    continue
                }
                ports.append(port)
            }
            var mountPoints: [MountPoint] = []
            var mountNames: Set<ACName> = []
            for volume in run.volumes.sorted() {
                guard var mountName = try? ACName.sanitizing(volume) else { continue }
                var suffix = 2
                while mountNames.contains(mountName) {
                    mountName = try ACName.sanitizing("\(volume)-\(suffix)")
                    suffix += 1
                }
                mountNames.insert(mountName)
                mountPoints.append(try MountPoint(name: mountName, path: volume))
            }
            let workingDirectory = run.workingDir.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? ""
            app = try App(exec: exec, user: user, group: group, workingDirectory: workingDirectory,
                          environment: environment, mountPoints: mountPoints, ports: ports)
        }
        var annotations: [Annotation] = []
        if let created = config.created {
            annotations.append(Annotation(name: try ACIdentifier("created"), value: created))
        }
        for key in run.labels.keys.sorted() where !(key == "created" && config.created != nil) {
            guard let annotationName = try? ACIdentifier(key) else {
                log.warning("warning: label \(quoted(key)) is not a valid appc annotation name; left out")
                continue
            }
            let annotation = Annotation(name: annotationName, value: run.labels[key]!)
            do {
                _ = try Annotations(annotations + [annotation])
                annotations.append(annotation)
            } catch {
                log.warning("warning: label \(quoted(key)) cannot be an appc annotation (\(error)); left out")
            }
        }
        return ImageManifest(name: name, labels: try Labels(labels), app: app, annotations: try Annotations(annotations))
    }

    /// `user[:group]` as Docker writes it; root when absent.
    static func userAndGroup(_ text: String?) -> (String, String) {
        guard let text, !text.isEmpty else { return ("0", "0") }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let user = parts[0].isEmpty ? "0" : String(parts[0])
        let group = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "0"
        return (user, group)
    }
}
