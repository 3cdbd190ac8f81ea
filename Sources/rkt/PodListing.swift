import CLISupport

/// How `rkt list` and `rkt status --format` print pods.
enum PodListing {
    static func table(_ pods: [Pod], full: Bool, legend: Bool) -> String {
        var header = ["UUID", "APP", "IMAGE NAME", "STATE", "CREATED", "STARTED", "NETWORKS"]
        if full { header.insert("IMAGE ID", at: 3) }
        var table = TextTable(header: legend ? header : nil, separator: "\t")
        let now = WallClock.nanoseconds()
        for pod in pods {
            let apps = (try? pod.manifest().apps) ?? []
            let uuid = full ? pod.uuid.description : String(pod.uuid.description.prefix(8))
            let created = pod.created.map { full ? Timestamp.go($0) : Timestamp.relative($0, now: now) } ?? "-"
            let started = pod.started.map { full ? Timestamp.go($0) : Timestamp.relative($0, now: now) } ?? "-"
            if apps.isEmpty {
                var row = [uuid, "-", "-", pod.state.rawValue, created, started, pod.networksSummary]
                if full { row.insert("-", at: 3) }
                table.add(row)
            }
            for (index, app) in apps.enumerated() {
                let first = index == 0
                var row = [first ? uuid : "", app.name.value, app.image.name?.value ?? "-",
                           first ? pod.state.rawValue : "", first ? created : "", first ? started : "", first ? pod.networksSummary : ""]
                if full { row.insert(app.image.id.map { String($0.description.prefix(7 + 12)) } ?? "-", at: 3) }
                table.add(row)
            }
        }
        return table.render()
    }

    static func json(_ pod: Pod) -> JSONValue {
        let apps = (try? pod.manifest().apps) ?? []
        let appItems: [JSONValue] = apps.map { app in
            let code = pod.exitStatus(app.name.value)
            let state = pod.state == .running ? "running" : code != nil ? "exited" : pod.state == .prepared ? "created" : "unknown"
            return .object([
                "name": .string(app.name.value), "state": .string(state),
                "image_id": app.image.id.map { .string($0.description) },
                "exit_code": code.map { .number(String($0)) },
            ])
        }
        return .object([
            "name": .string(pod.uuid.description), "state": .string(pod.state.rawValue), "networks": .array(pod.networks.map(\.json)),
            "app_names": .array(apps.map { .string($0.name.value) }), "apps": .array(appItems),
            "created_at": pod.created.map { .number(String($0)) }, "started_at": pod.started.map { .number(String($0)) },
        ])
    }
}
