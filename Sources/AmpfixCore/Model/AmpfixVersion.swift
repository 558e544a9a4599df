public enum AmpfixVersion {
    public static let current = "0.1.0"
}
