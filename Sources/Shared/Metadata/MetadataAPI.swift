/// The app-facing half of the metadata service (appc spec, ace.md "App Container Metadata
/// Service"): `/TOKEN/acMetadata/v1/…` answers what the token's pod may know — its own manifest,
/// annotations, UUID and apps, and HMAC signatures under its own key — and nothing of any other
/// pod. A token nobody registered (forged, or of a pod that has ended) gets 401.
public struct MetadataAPI: Sendable {
    public let registry: MetadataRegistry

    public init(registry: MetadataRegistry) {
        self.registry = registry
    }

    /// The header every request must carry, as with the clouds' metadata services: a page that
    /// only makes the app's browser or HTTP client fetch a URL cannot add it.
    public static let flavorHeader = (name: "Metadata-Flavor", value: "AppContainer")

    public func answer(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard request.header(Self.flavorHeader.name) == Self.flavorHeader.value else {
            return .text(400, "missing header \(Self.flavorHeader.name): \(Self.flavorHeader.value)\n")
        }
        let components = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard components.count >= 4, components[1] == "acMetadata", components[2] == "v1" else { return .text(404, "not found\n") }
        guard let pod = registry.pod(token: components[0]) else { return .text(401, "pod not found\n") }
        let route = Array(components.dropFirst(3))
        switch (request.method, route.first) {
        case ("GET", "pod"): return podEntry(pod, Array(route.dropFirst()))
        case ("GET", "apps"): return appEntry(pod, Array(route.dropFirst()))
        case ("POST", "pod") where route == ["pod", "hmac", "sign"]: return sign(pod, request)
        case ("POST", "pod") where route == ["pod", "hmac", "verify"]: return verify(request)
        default: return .text(404, "not found\n")
        }
    }

    /// `pod/annotations[/NAME]`, `pod/manifest`, `pod/uuid`.
    private func podEntry(_ pod: MetadataPod, _ route: [String]) -> HTTPServerResponse {
        switch route.first {
        case "annotations" where route.count == 1:
            // As the manifest has them: `null` when it has none, as rkt's answer was.
            return .json(JSONWriter.compact(pod.manifest.annotations?.json ?? .null))
        case "annotations" where route.count == 2:
            return annotation(route[1], in: pod.manifest.annotations, of: "Pod")
        case "manifest" where route.count == 1:
            return .json(pod.manifestBytes)
        case "uuid" where route.count == 1:
            return .text(200, pod.uuid.description)
        default:
            return .text(404, "not found\n")
        }
    }

    /// `apps/NAME/annotations[/NAME]`, `apps/NAME/image/manifest`, `apps/NAME/image/id`.
    private func appEntry(_ pod: MetadataPod, _ route: [String]) -> HTTPServerResponse {
        guard let name = route.first, let app = pod.app(name), let imageManifest = pod.imageManifests[name] else {
            return .text(404, "app not found\n")
        }
        let entry = Array(route.dropFirst())
        switch entry {
        case ["annotations"]:
            guard let merged = try? mergedAnnotations(app, imageManifest) else { return .text(500, "invalid annotations\n") }
            return .json(JSONWriter.compact(merged.json))
        case _ where entry.count == 2 && entry[0] == "annotations":
            guard let merged = try? mergedAnnotations(app, imageManifest) else { return .text(500, "invalid annotations\n") }
            return annotation(entry[1], in: merged, of: "App")
        case ["image", "manifest"]:
            return .json(imageManifest)
        case ["image", "id"]:
            guard let id = app.image.id else { return .text(404, "image ID not found\n") }
            return .text(200, id.description)
        default:
            return .text(404, "not found\n")
        }
    }

    /// The image manifest's annotations with the pod manifest's for the app over them.
    private func mergedAnnotations(_ app: RuntimeApp, _ imageManifest: [UInt8]) throws -> Annotations {
        var merged = try ImageManifest.decode(imageManifest).annotations
        for annotation in app.annotations { try merged.set(annotation.name, annotation.value) }
        return merged
    }

    private func annotation(_ name: String, in annotations: Annotations?, of owner: String) -> HTTPServerResponse {
        guard (try? ACIdentifier(name)) != nil else { return .text(400, "\(owner) annotation \(quoted(name)) is not a valid AC Identifier\n") }
        guard let value = annotations?[name] else { return .text(404, "\(owner) annotation \(quoted(name)) not found\n") }
        return .text(200, value)
    }

    /// `POST pod/hmac/sign` with the form field `content`: the base64 HMAC-SHA-512 of the pod's
    /// UUID and the content, under the pod's key.
    private func sign(_ pod: MetadataPod, _ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let content = request.form["content"], !content.isEmpty else { return .text(400, "content form value not found\n") }
        return .text(200, Base64.encode(pod.sign(Array(content.utf8))))
    }

    /// `POST pod/hmac/verify` with `content`, `uuid` and `signature`: 200 when the pod of that UUID
    /// signed that content, 403 otherwise (a pod no longer registered included).
    private func verify(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let uuid = request.form["uuid"].flatMap({ try? PodUUID($0) }) else { return .text(400, "uuid field missing or malformed\n") }
        guard let content = request.form["content"], !content.isEmpty else { return .text(400, "content field missing\n") }
        guard let signature = request.form["signature"].flatMap(Base64.decode) else {
            return .text(400, "signature field missing or corrupt\n")
        }
        guard let signer = registry.pod(uuid: uuid), HMAC.equal(signer.sign(Array(content.utf8)), signature) else {
            return .text(403, "")
        }
        return .text(200, "")
    }
}
