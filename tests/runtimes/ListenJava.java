// Listen the way Java does with a configured backlog; print Send-Q for ServerSocket and NIO.
// java ListenJava.java [VALUE]
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;

public class ListenJava {
    static String sendQ(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hlnt", "sport = :" + port).start();
        return new String(ss.getInputStream().readAllBytes()).trim().split("\\s+")[2];
    }

    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        ServerSocket plain;
        ServerSocketChannel nio = ServerSocketChannel.open();
        if (args.length == 0) {
            plain = new ServerSocket(0, 0, lo);
            plain.close();
            plain = new ServerSocket();  // no backlog given anywhere
            plain.bind(new InetSocketAddress(lo, 0));
            nio.bind(new InetSocketAddress(lo, 0));
        } else {
            int backlog = Integer.parseInt(args[0]);
            plain = new ServerSocket(0, backlog, lo);
            nio.bind(new InetSocketAddress(lo, 0), backlog);
        }
        int nioPort = ((InetSocketAddress) nio.getLocalAddress()).getPort();
        System.out.println(sendQ(plain.getLocalPort()) + " " + sendQ(nioPort));
        plain.close();
        nio.close();
    }
}
