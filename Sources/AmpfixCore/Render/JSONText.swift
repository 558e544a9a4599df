/// The JSON ampfix prints: pretty, keys sorted, slashes as they are.
public enum JSONText {
    public static func pretty<T: Encodable>(_ value: T) -> String {
        (try? JSONCoding.text(value, pretty: true)) ?? "{}"
    }
}
