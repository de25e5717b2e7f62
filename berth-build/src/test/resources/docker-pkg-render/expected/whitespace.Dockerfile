FROM scratch

ENV A=1
ENV B=2
ENV C=3
ENV D=4ENV E=5x yz

ENV F=6
ENV G=7
ENV H=A1B I=6 J=3 K=a-b
ENV L=one+two
ENV M="a\b"