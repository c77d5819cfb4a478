# bench-sea, guest side: the memory-error latency benchmark (sea_lat), then
# wait for the host to clear the poison and report.
sea_lat
echo "GUEST-LAT-STATUS $?"
echo "GUEST-WAITING-FOR-CLEAR"
read -t 60 line
echo "GUEST-RESULT: ok"
