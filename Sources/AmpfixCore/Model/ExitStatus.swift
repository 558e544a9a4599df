/// The exit codes users script against.
public enum ExitStatus {
    public static let healthy: Int32 = 0
    public static let faultsRemain: Int32 = 1
    public static let couldNotEvaluate: Int32 = 2
    public static let usage: Int32 = 64
}
